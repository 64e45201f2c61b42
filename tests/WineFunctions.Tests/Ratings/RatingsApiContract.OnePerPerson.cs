using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>
/// One opinion per person and batch: a second post updates it, the owner reads, changes and
/// withdraws it, and the card, the lake, the rebuild and an old database all count each person once.
/// </summary>
public abstract partial class RatingsApiContract
{
    [Fact]
    public async Task A_second_rating_of_a_batch_by_one_customer_updates_the_first()
    {
        var batch = Batches[6].BatchId;
        var first = await JsonAsync(await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batch}/ratings", Customer, """{"stars":5}"""), HttpStatusCode.Created);
        for (var i = 0; i < 9; i++)
        {
            await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batch}/ratings", Customer, """{"stars":5}""");
        }
        var changed = await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batch}/ratings", Customer, """{"stars":2,"note":"on second thoughts"}""");
        var second = await JsonAsync(changed, HttpStatusCode.OK);
        Assert.Equal((string)first["ratingId"]!, (string)second["ratingId"]!);
        Assert.Equal((2, 2), ((int)second["stars"]!, (int)second["revision"]!));
        Assert.Equal($"/api/v1/customers/alice/ratings/{batch}", changed.Headers.Location!.OriginalString);
        await RateAsync(OtherCustomer, batch, 4);

        var card = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal(2, (int)card["customerRatings"]!["count"]!);
        Assert.Equal(3.0, (double)card["customerRatings"]!["averageStars"]!);
        var catalogue = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches?minStars=1"), HttpStatusCode.OK);
        Assert.Equal(2, (int)Assert.Single(catalogue["batches"]!.AsArray())!["ratings"]!);

        // The lake keeps every change as its own object: Alice's two revisions (the repeats changed nothing) and Bob's rating.
        await App.FlushLakeAsync();
        var objects = await App.Lake.ListAsync(LakeLayout.CustomerRatings, CancellationToken.None).ToListAsync();
        Assert.Equal(3, objects.Count);
    }

    [Fact]
    public async Task A_taster_has_one_score_per_batch_and_the_median_counts_each_taster_once()
    {
        var batch = Batches[7].BatchId;
        var t1 = App.Issuer.TasterToken("t1");
        foreach (var score in new[] { 3, 3, 3, 9 })
        {
            await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batch}/taster-scores", t1, $$"""{"score":{{score}}}""");
        }
        await JsonAsync(await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batch}/taster-scores", App.Issuer.TasterToken("t2"), """{"score":7}"""), HttpStatusCode.Created);
        var card = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal(2, (int)card["tasters"]!["count"]!);
        Assert.Equal(8.0, (double)card["tasters"]!["median"]!);

        var mine = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/tasters/t1/scores", t1), HttpStatusCode.OK);
        var only = Assert.Single(mine["scores"]!.AsArray())!;
        Assert.Equal((9, 2), ((int)only["score"]!, (int)only["revision"]!));
        await ProblemAsync(await App.SendAsync(HttpMethod.Delete, $"/api/v1/tasters/t1/scores/{batch}", App.Issuer.TasterToken("t2")), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, (await App.SendAsync(HttpMethod.Delete, $"/api/v1/tasters/t1/scores/{batch}", t1)).StatusCode);
        card = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal((1, 7.0), ((int)card["tasters"]!["count"]!, (double)card["tasters"]!["median"]!));
    }

    [Fact]
    public async Task A_customer_lists_changes_and_withdraws_their_own_ratings_only()
    {
        var (b0, b1, b2) = (Batches[0].BatchId, Batches[1].BatchId, Batches[2].BatchId);
        var put = await App.SendAsync(HttpMethod.Put, $"/api/v1/customers/alice/ratings/{b0}", Customer, """{"stars":3}""");
        Assert.Equal(1, (int)(await JsonAsync(put, HttpStatusCode.Created))["revision"]!);
        Assert.Equal($"/api/v1/customers/alice/ratings/{b0}", put.Headers.Location!.OriginalString);
        Assert.Equal(2, (int)(await JsonAsync(await App.SendAsync(HttpMethod.Put, $"/api/v1/customers/alice/ratings/{b0}", Customer, """{"stars":4}"""), HttpStatusCode.OK))["revision"]!);
        // The same PUT again changes nothing and writes nothing.
        Assert.Equal(2, (int)(await JsonAsync(await App.SendAsync(HttpMethod.Put, $"/api/v1/customers/alice/ratings/{b0}", Customer, """{"stars":4}"""), HttpStatusCode.OK))["revision"]!);
        await RateAsync(Customer, b1, 5);
        await RateAsync(Customer, b2, 1);
        await RateAsync(OtherCustomer, b2, 2);

        var one = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/customers/alice/ratings/{b0}", Customer), HttpStatusCode.OK);
        Assert.Equal(4, (int)one["stars"]!);
        // Paged by cursor, newest first; each page names the next.
        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/ratings?limit=2" + (next is null ? "" : "&cursor=" + Uri.EscapeDataString(next)), Customer), HttpStatusCode.OK);
            Assert.InRange(page["ratings"]!.AsArray().Count, 1, 2);
            seen.AddRange(page["ratings"]!.AsArray().Select(r => (string)r!["batchId"]!));
            next = (string?)page["next"];
        }
        while (next is not null);
        Assert.Equal([b2, b1, b0], seen);
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/ratings?cursor=not-a-cursor", Customer), HttpStatusCode.BadRequest);

        // Bob may neither read, change nor withdraw Alice's ratings; a taster has no customer ratings.
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/ratings", OtherCustomer), HttpStatusCode.Forbidden);
        await ProblemAsync(await App.SendAsync(HttpMethod.Put, $"/api/v1/customers/alice/ratings/{b0}", OtherCustomer, """{"stars":1}"""), HttpStatusCode.Forbidden);
        await ProblemAsync(await App.SendAsync(HttpMethod.Delete, $"/api/v1/customers/alice/ratings/{b0}", OtherCustomer), HttpStatusCode.Forbidden);
        await ProblemAsync(await App.SendAsync(HttpMethod.Delete, $"/api/v1/customers/alice/ratings/{b0}"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await App.SendAsync(HttpMethod.Put, $"/api/v1/customers/alice/ratings/{b0}", Customer, """{"stars":9}"""), HttpStatusCode.BadRequest);
        await ProblemAsync(await App.SendAsync(HttpMethod.Put, "/api/v1/customers/alice/ratings/NO-SUCH-BATCH", Customer, """{"stars":3}"""), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await App.SendAsync(HttpMethod.Delete, $"/api/v1/customers/alice/ratings/{b2}", Customer)).StatusCode);
        await ProblemAsync(await App.SendAsync(HttpMethod.Delete, $"/api/v1/customers/alice/ratings/{b2}", Customer), HttpStatusCode.NotFound);
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/customers/alice/ratings/{b2}", Customer), HttpStatusCode.NotFound);
        var card = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{b2}"), HttpStatusCode.OK);
        Assert.Equal((1, 2.0), ((int)card["customerRatings"]!["count"]!, (double)card["customerRatings"]!["averageStars"]!));
        var left = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/ratings", Customer), HttpStatusCode.OK);
        Assert.Equal([b1, b0], left["ratings"]!.AsArray().Select(r => (string)r!["batchId"]!));

        // Rating a withdrawn batch again brings the rating back, as a new revision of the same rating.
        var again = await JsonAsync(await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{b2}/ratings", Customer, """{"stars":3}"""), HttpStatusCode.Created);
        Assert.Equal(3, (int)again["revision"]!);
        await App.FlushLakeAsync();
        var withdrawals = 0;
        await foreach (var entry in App.Lake.ListAsync(LakeLayout.CustomerRatings, CancellationToken.None))
        {
            withdrawals += (bool)JsonNode.Parse((await App.Lake.GetAsync(entry.Key, CancellationToken.None))!.Content)!["withdrawn"]! ? 1 : 0;
        }
        Assert.Equal(1, withdrawals);
    }

    [Fact]
    public async Task A_rebuild_from_the_lake_counts_each_person_once_as_the_live_database_does()
    {
        var (b0, b1) = (Batches[0].BatchId, Batches[1].BatchId);
        await RateAsync(Customer, b0, 5);
        await JsonAsync(await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{b0}/ratings", Customer, """{"stars":1}"""), HttpStatusCode.OK);
        await RateAsync(OtherCustomer, b0, 4);
        await RateAsync(Customer, b1, 2);
        Assert.Equal(HttpStatusCode.NoContent, (await App.SendAsync(HttpMethod.Delete, $"/api/v1/customers/alice/ratings/{b1}", Customer)).StatusCode);
        foreach (var score in new[] { 4, 8 })
        {
            await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{b0}/taster-scores", Taster, $$"""{"score":{{score}}}""");
        }
        var before = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{b0}"), HttpStatusCode.OK);
        Assert.Equal(2, (int)before["customerRatings"]!["count"]!);
        await App.FlushLakeAsync();

        var database = await NewDatabaseAsync();
        await using var store = database.Open(TimeProvider.System);
        using var metrics = new RatingsMetrics();
        var indexer = new BatchIndexer(App.Lake, store, NullLogger<BatchIndexer>.Instance, metrics);
        var report = await new RatingsRebuild(App.Lake, store, indexer, NullLogger<RatingsRebuild>.Instance).RunAsync(CancellationToken.None);
        Assert.Equal(0, report.Unreadable);
        Assert.Equal((2L, 1L), await CurrentCountsAsync(store));
        await using var rebuilt = await RatingsApp.StartAsync(App.Lake, database);
        var after = await JsonAsync(await rebuilt.SendAsync(HttpMethod.Get, $"/api/v1/batches/{b0}"), HttpStatusCode.OK);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        await ProblemAsync(await rebuilt.SendAsync(HttpMethod.Get, $"/api/v1/customers/alice/ratings/{b1}", rebuilt.Issuer.CustomerToken("alice")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_database_of_the_first_schema_is_migrated_keeping_each_persons_latest_opinion()
    {
        var database = await NewDatabaseAsync();
        await using (var dialect = database.OpenDialect())
        {
            await using var connection = await dialect.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(FirstSchema);
            var batch = Batches[0].BatchId;
            // Three ratings by alice (the latest is 2 stars), one by bob; two scores by one taster (the latest is 8).
            foreach (var (id, customer, stars, ms) in new[] { ("r1", "alice", 5, 1000L), ("r2", "alice", 2, 3000L), ("r3", "alice", 4, 2000L), ("r4", "bob", 4, 1500L) })
            {
                await connection.ExecuteAsync("INSERT INTO customer_ratings VALUES (@id, @batch, @customer, @stars, NULL, @ms)", new { id, batch, customer, stars, ms });
            }
            foreach (var (id, score, ms) in new[] { ("s1", 3, 1000L), ("s2", 8, 2000L) })
            {
                await connection.ExecuteAsync("INSERT INTO taster_scores VALUES (@id, @batch, 'tom', @score, NULL, @ms)", new { id, batch, score, ms });
            }
        }
        await using var migrated = await RatingsApp.StartAsync(App.Lake, database);
        var card = await JsonAsync(await migrated.SendAsync(HttpMethod.Get, $"/api/v1/batches/{Batches[0].BatchId}"), HttpStatusCode.OK);
        Assert.Equal((2, 3.0), ((int)card["customerRatings"]!["count"]!, (double)card["customerRatings"]!["averageStars"]!));
        Assert.Equal((1, 8.0), ((int)card["tasters"]!["count"]!, (double)card["tasters"]!["median"]!));
        var alice = migrated.Issuer.CustomerToken("alice");
        var updated = await JsonAsync(await migrated.SendAsync(HttpMethod.Post, $"/api/v1/batches/{Batches[0].BatchId}/ratings", alice, """{"stars":3}"""), HttpStatusCode.OK);
        Assert.Equal(("r2", 2), ((string)updated["ratingId"]!, (int)updated["revision"]!));

        var store = migrated.Server.Services.GetRequiredService<IRatingsStore>();
        Assert.Equal(RatingsSchema.Version, await store.SchemaVersionAsync(CancellationToken.None));
        await store.MigrateAsync(CancellationToken.None); // a second start migrates nothing
        Assert.Equal((2L, 1L), await CurrentCountsAsync(store));
    }

    [Fact]
    public async Task A_card_or_catalogue_page_that_has_not_changed_is_304_without_a_body_and_a_rating_changes_it()
    {
        var batch = Batches[8].BatchId;
        foreach (var path in new[] { $"/api/v1/batches/{batch}", "/api/v1/batches?limit=50" })
        {
            var first = await App.SendAsync(HttpMethod.Get, path);
            await JsonAsync(first, HttpStatusCode.OK);
            var tag = first.Headers.ETag!;
            Assert.False(tag.IsWeak);
            Assert.True(first.Headers.CacheControl!.NoCache);

            var again = App.Request(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(tag);
            var unchanged = await App.Http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
            Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
            Assert.Equal(tag, unchanged.Headers.ETag);

            await App.SendAsync(HttpMethod.Put, $"/api/v1/customers/alice/ratings/{batch}", Customer, $$"""{"stars":{{(path.Contains('?') ? 2 : 5)}}}""");
            var stale = App.Request(HttpMethod.Get, path);
            stale.Headers.IfNoneMatch.Add(tag);
            var changed = await App.Http.SendAsync(stale);
            await JsonAsync(changed, HttpStatusCode.OK);
            Assert.NotEqual(tag, changed.Headers.ETag);
        }
    }

    private static async Task<(long Ratings, long Scores)> CurrentCountsAsync(IRatingsStore store)
    {
        var (ratings, scores, _) = await store.CountsAsync(CancellationToken.None);
        return (ratings, scores);
    }

    /// <summary>The opinion tables as the first release created them, before one opinion per person.</summary>
    private const string FirstSchema = """
        CREATE TABLE customer_ratings (rating_id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, customer_id TEXT NOT NULL, stars INTEGER NOT NULL,
            note TEXT NULL, rated_ms BIGINT NOT NULL);
        CREATE INDEX customer_ratings_batch ON customer_ratings (batch_id);
        CREATE INDEX customer_ratings_customer ON customer_ratings (customer_id);
        CREATE TABLE taster_scores (score_id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, taster_id TEXT NOT NULL, score INTEGER NOT NULL,
            note TEXT NULL, scored_ms BIGINT NOT NULL);
        CREATE INDEX taster_scores_batch ON taster_scores (batch_id);
        """;
}
