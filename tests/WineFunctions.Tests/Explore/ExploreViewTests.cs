using WineFunctions.Explore;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Explore;

public sealed class ExploreViewTests
{
    [Fact]
    public async Task An_empty_lake_has_every_view_typed_and_empty()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var session = await ExploreSession.OpenLakeAsync(lake.Store, CacheFolder(), null, CancellationToken.None);
        foreach (var view in LakeViews.All)
        {
            Assert.Equal(0L, await session.ScalarAsync<long>($"SELECT count(*) FROM {view}", CancellationToken.None));
        }
        var types = await session.QueryAsync("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'taster_scores'", 100, CancellationToken.None);
        Assert.Contains(types.Rows, r => (string)r[0]! == "score" && (string)r[1]! == "INTEGER");
        Assert.Contains(types.Rows, r => (string)r[0]! == "scoredAt" && (string)r[1]! == "TIMESTAMP WITH TIME ZONE");
    }

    public static TheoryData<string> Stores => ["folder", "s3rver", "azurite"];

    internal static Task<LakeStore> OpenAsync(string kind) => kind switch
    {
        "s3rver" => LakeStore.S3rverAsync(),
        "azurite" => LakeStore.AzuriteAsync(),
        _ => LakeStore.FolderAsync(),
    };

    internal static readonly TestBatch[] Batches =
    [
        new("wh-01-b001", "wh-01", WineColour.Red, QualityClass.Good, [5, 5, 6], ExploreLake.Day),
        new("wh-01-b002", "wh-01", WineColour.Red, QualityClass.Best, [7, 8, 7, 9], ExploreLake.Day.AddHours(2)),
        new("wh-02-b001", "wh-02", WineColour.White, QualityClass.Better, [6, 6], ExploreLake.Day.AddDays(1)),
    ];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Views_read_samples_predictions_ratings_and_scores_joined_by_sample_and_batch(string kind)
    {
        await using var lake = await OpenAsync(kind);
        var samples = await ExploreLake.WriteSamplesAsync(lake.Store, Batches, samplesPerBatch: 10);
        await ExploreLake.WriteScoresAsync(lake.Store, Batches);
        await ExploreLake.WriteRatingAsync(lake.Store, "wh-01-b002", 5, ExploreLake.Day.AddDays(3));
        // Predictions for the first batch's object only: the others are not predicted yet.
        var firstKey = LakeLayout.RawSampleObject(ExploreLake.Day, "wine.samples", 0, 0, SampleFormat.Parquet);
        await ExploreLake.WritePredictionsAsync(lake.Store, firstKey, samples.Take(10).ToList(), _ => QualityClass.Better);
        var cache = CacheFolder();
        try
        {
            await using (var session = await ExploreSession.OpenLakeAsync(lake.Store, cache, null, CancellationToken.None))
            {
                Assert.Equal(30L, await Count(session, "SELECT count(*) FROM samples"));
                Assert.Equal(2L, await Count(session, "SELECT count(DISTINCT \"date\") FROM samples"));
                Assert.Equal(10L, await Count(session, "SELECT count(*) FROM predictions"));
                Assert.Equal(10L, await Count(session, "SELECT count(predictedClass) FROM sample_predictions"));
                Assert.Equal(9L, await Count(session, "SELECT count(*) FROM taster_scores"));
                Assert.Equal(1L, await Count(session, "SELECT count(*) FROM ratings WHERE stars = 5 AND ratedAt = TIMESTAMPTZ '2026-11-29 09:00:00+00'"));
                var batches = await session.QueryAsync("SELECT batchId, samples, tasterScores, medianScore, tasterClass, predictedClass, ratings FROM batches ORDER BY batchId", 10, CancellationToken.None);
                Assert.Equal(["wh-01-b001", 10L, 3L, 5, "good", "better", 0L], batches.Rows[0]);
                Assert.Equal(["wh-01-b002", 10L, 4L, 7, "best", null, 1L], batches.Rows[1]); // lower middle of 7 7 8 9
                Assert.Equal(["wh-02-b001", 10L, 2L, 6, "better", null, 0L], batches.Rows[2]);
                Assert.Equal(kind == "folder" ? 0 : 3 + 9 + 1 + 1, session.Snapshot!.Downloaded); // raw objects, scores, rating, predictions
            }
            if (kind != "folder")
            {
                // A second look downloads only what changed.
                await ExploreLake.WriteRatingAsync(lake.Store, "wh-01-b001", 2, ExploreLake.Day.AddDays(3));
                await lake.Store.DeleteAsync(firstKey, CancellationToken.None);
                await using var again = await ExploreSession.OpenLakeAsync(lake.Store, cache, null, CancellationToken.None);
                Assert.Equal(1, again.Snapshot!.Downloaded);
                Assert.Equal(20L, await Count(again, "SELECT count(*) FROM samples"));
                Assert.Equal(2L, await Count(again, "SELECT count(*) FROM ratings"));
            }
        }
        finally
        {
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Each_taster_and_customer_counts_once_in_the_views_and_the_label_though_the_lake_keeps_every_revision()
    {
        await using var lake = await LakeStore.FolderAsync();
        await ExploreLake.WriteSamplesAsync(lake.Store, Batches[..1], samplesPerBatch: 10);
        var batch = Batches[0].BatchId;
        var at = ExploreLake.Day.AddDays(1);
        async Task ScoreAsync(string id, string taster, int score, int? revision, bool withdrawn, int minutes)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new { scoreId = id, batchId = batch, tasterId = taster, score, note = (string?)null,
                scoredAt = at.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ssZ"), revision, withdrawn });
            await lake.Store.PutAsync(LakeLayout.Opinion(LakeLayout.TasterScores, at.AddMinutes(minutes), id, revision ?? 1), System.Text.Encoding.UTF8.GetBytes(json),
                new Dictionary<string, string>(), CancellationToken.None);
        }
        await ScoreAsync("s-t1", "t1", 3, 1, false, 0); // t1 changed their mind: 9 stands
        await ScoreAsync("s-t1", "t1", 9, 2, false, 5);
        await ScoreAsync("s-t2", "t2", 4, 1, false, 1); // t2 withdrew
        await ScoreAsync("s-t2", "t2", 4, 2, true, 6);
        await ScoreAsync("s-t3a", "t3", 2, null, false, 2); // first-release objects: the later one stands
        await ScoreAsync("s-t3b", "t3", 8, null, false, 3);
        await ScoreAsync("s-t4", "t4", 7, 1, false, 4);
        await ExploreLake.WriteRatingAsync(lake.Store, batch, 5, at);
        await ExploreLake.WriteRatingAsync(lake.Store, batch, 1, at.AddHours(1)); // the same customer's later rating, first-release object

        await using var session = await ExploreSession.OpenLakeAsync(lake.Store, CacheFolder(), null, CancellationToken.None);
        var row = (await session.QueryAsync("SELECT tasterScores, medianScore FROM batch_scores", 10, CancellationToken.None)).Rows.Single();
        Assert.Equal([3L, 8], row); // t1 9, t3 8, t4 7
        var ratings = (await session.QueryAsync("SELECT ratings, meanStars FROM batches", 10, CancellationToken.None)).Rows.Single();
        Assert.Equal([1L, 1.0], ratings);
        Assert.Equal(3L, await Count(session, "SELECT count(*) FROM taster_scores"));
        Assert.Equal(7L, await Count(session, "SELECT count(*) FROM taster_score_events"));
        Assert.Equal(2L, await Count(session, "SELECT count(*) FROM rating_events"));
    }

    [Fact]
    public async Task A_filter_on_takenAt_finds_every_sample_in_range_despite_the_Parquet_statistics()
    {
        await using var lake = await LakeStore.FolderAsync();
        await ExploreLake.WriteSamplesAsync(lake.Store, Batches, samplesPerBatch: 10);
        await using var session = await ExploreSession.OpenLakeAsync(lake.Store, CacheFolder(), null, CancellationToken.None);
        Assert.Equal(20L, await Count(session, "SELECT count(*) FROM samples WHERE takenAt >= TIMESTAMPTZ '2026-11-26 00:00:00+00' AND takenAt < TIMESTAMPTZ '2026-11-27 00:00:00+00'"));
        Assert.Equal(10L, await Count(session, "SELECT count(*) FROM samples WHERE takenAt > TIMESTAMPTZ '2026-11-26 10:00:00+00' AND takenAt <= TIMESTAMPTZ '2026-11-26 23:59:59+00'"));
        Assert.Equal(TimeSpan.FromSeconds(9), await session.ScalarAsync<TimeSpan>("SELECT max(takenAt) - min(takenAt) FROM samples WHERE batchId = 'wh-01-b001'", CancellationToken.None));
    }

    private static Task<long> Count(ExploreSession session, string sql) => session.ScalarAsync<long>(sql, CancellationToken.None);

    internal static string CacheFolder() => Path.Combine(Path.GetTempPath(), "wine-explore-cache-" + Guid.NewGuid().ToString("N"));
}
