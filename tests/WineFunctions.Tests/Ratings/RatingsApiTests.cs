using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>The contract on the embedded default: a SQLite file.</summary>
public sealed class SqliteRatingsApiTests : RatingsApiContract, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wine-ratings-db-");
    private int _databases;

    protected override Task<RatingsDatabase> NewDatabaseAsync() => Task.FromResult(new RatingsDatabase
    {
        Provider = DatabaseProvider.Sqlite,
        ConnectionString = $"Data Source={Path.Combine(_folder.FullName, $"ratings-{++_databases}.db")}",
    });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

/// <summary>One real PostgreSQL server for the PostgreSQL run of the contract; each test gets its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The contract on PostgreSQL, the production database.</summary>
public sealed class PostgresRatingsApiTests(PostgresFixture postgres) : RatingsApiContract, IClassFixture<PostgresFixture>
{
    protected override async Task<RatingsDatabase> NewDatabaseAsync() => new()
    {
        Provider = DatabaseProvider.Postgres,
        ConnectionString = await postgres.Server.CreateDatabaseAsync(),
    };

    [Fact]
    public async Task A_refresh_that_finds_nothing_new_asks_the_database_about_many_lake_objects_in_one_query()
    {
        // Every API instance refreshes every 30 s: a query per lake object would grow with the lake for ever.
        const int objects = 1_200;
        for (var i = 0; i < objects; i++)
        {
            var sample = WineSample.Create($"extra-{i}", $"B-EXTRA-{i % 40}", "wh-09", "wh-09-dev-1", RatingsLakeSeed.Start.AddMinutes(i), WineColour.Red,
                [7, 0.3, 0.3, 5, 0.04, 30, 120, 0.994, 3.2, 0.5, 11]);
            await App.Lake.PutAsync(LakeLayout.RawSampleObject(sample.TakenAt, "wine.samples", 2, i, SampleFormat.JsonLines),
                SampleJsonLines.Write([sample]), new Dictionary<string, string>(), CancellationToken.None);
        }
        var indexer = App.Server.Services.GetRequiredService<BatchIndexer>();
        Assert.Equal(objects, await indexer.RefreshAsync(CancellationToken.None));

        using var test = new ActivitySource("refresh-test");
        var commands = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var refresh = test.StartActivity("refresh") ?? new Activity("refresh").Start();
        var trace = refresh.TraceId;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "refresh-test",
            Sample = (ref _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.TraceId == trace)
                {
                    commands.Add(activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        Assert.Equal(0, await indexer.RefreshAsync(CancellationToken.None));
        Assert.True(commands.Count is > 0 and <= 10, $"{commands.Count} database operations for {objects + 4} lake objects");
    }
}
