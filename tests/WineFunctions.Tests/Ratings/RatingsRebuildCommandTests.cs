using System.Text;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Tests.Infrastructure;
using static WineFunctions.Tests.Stack.WineUpTests;

namespace WineFunctions.Tests.Ratings;

/// <summary><c>wine ratings rebuild</c> on a lake holding revisions, withdrawals and first-release objects: each person counts once.</summary>
public sealed class RatingsRebuildCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("wine-rebuild-");

    [Fact]
    public async Task The_rebuilt_database_holds_each_persons_standing_rating_and_score_once()
    {
        var lake = new FolderObjectStore(Path.Combine(_work.FullName, "lake"));
        var batches = await RatingsLakeSeed.SeedAsync(lake, batches: 3);
        var (b0, b1) = (batches[0].BatchId, batches[1].BatchId);
        var at = RatingsLakeSeed.Start.AddDays(2);
        async Task PutAsync<T>(OpinionKind<T> kind, T opinion) where T : class, IOpinion =>
            await lake.PutAsync(kind.KeyOf(opinion), kind.Serialize(opinion), RatingsLake.Metadata, CancellationToken.None);
        // alice: two first-release ratings of b0 (the later stands), a rating of b1 she withdrew; bob: a rating of b0 he changed.
        await PutAsync(Opinions.Ratings, new Rating("r-a1", b0, "alice", 5, null, at));
        await PutAsync(Opinions.Ratings, new Rating("r-a2", b0, "alice", 2, null, at.AddMinutes(1)));
        await PutAsync(Opinions.Ratings, new Rating("r-a3", b1, "alice", 4, null, at));
        await PutAsync(Opinions.Ratings, new Rating("r-a3", b1, "alice", 4, null, at.AddMinutes(2), Revision: 2, Withdrawn: true));
        await PutAsync(Opinions.Ratings, new Rating("r-b1", b0, "bob", 1, null, at));
        await PutAsync(Opinions.Ratings, new Rating("r-b1", b0, "bob", 4, "better with food", at.AddMinutes(3), Revision: 2));
        await PutAsync(Opinions.Scores, new TasterScore("s-t1", b0, "tom", 3, null, at));
        await PutAsync(Opinions.Scores, new TasterScore("s-t1", b0, "tom", 7, null, at.AddMinutes(1), Revision: 2));

        var database = Path.Combine(_work.FullName, "ratings.db");
        var (exit, output) = await RunWineAsync(_work.FullName, "ratings", "rebuild", "--lake", Path.Combine(_work.FullName, "lake"), "--database", $"Data Source={database}");
        Assert.True(exit == 0, output);
        Assert.Contains("2 standing ratings, 1 standing scores", output);

        await using var store = new RatingsDatabase { ConnectionString = $"Data Source={database}" }.Open(TimeProvider.System);
        var (customers, tasters) = await store.OpinionsAsync(b0, CancellationToken.None);
        Assert.Equal((2, 3.0), (customers.Count, customers.AverageStars));
        Assert.Equal((1, 7.0), (tasters.Count, tasters.Median));
        Assert.Null(await store.OpinionAsync(Opinions.Ratings, b1, "alice", CancellationToken.None));
    }

    [Fact]
    public async Task A_bad_lake_setting_in_the_environment_stops_the_rebuild_with_one_line_naming_it()
    {
        var (exit, output) = await Commands.RunAsync("env", ["Lake__Kind=Azure", "dotnet", Path.Combine(AppContext.BaseDirectory, "wine.dll"), "ratings", "rebuild"],
            _work.FullName, TimeSpan.FromMinutes(1));
        Assert.True(exit != 0, output);
        Assert.Contains("Lake:Kind is 'Azure'", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }
}
