using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>
/// The ratings API over HTTP on real Kestrel, run once per database (SQLite, PostgreSQL): every
/// endpoint, every rejection the issue lists (each leaves the database and the lake unchanged),
/// the identity rules, idempotent retries and the lake copy of each rating.
/// </summary>
public abstract partial class RatingsApiContract : IAsyncLifetime
{
    private LakeStore _lake = null!;

    protected RatingsApp App { get; private set; } = null!;
    protected IReadOnlyList<SeededBatch> Batches { get; private set; } = null!;
    protected string Customer => App.Issuer.CustomerToken("alice");
    protected string OtherCustomer => App.Issuer.CustomerToken("bob");
    protected string Taster => App.Issuer.TasterToken("tom-the-taster");

    /// <summary>A new, empty database for one test.</summary>
    protected abstract Task<RatingsDatabase> NewDatabaseAsync();

    public async Task InitializeAsync()
    {
        _lake = await LakeStore.FolderAsync();
        Batches = await RatingsLakeSeed.SeedAsync(_lake.Store);
        App = await RatingsApp.StartAsync(_lake.Store, await NewDatabaseAsync());
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _lake.DisposeAsync();
    }

    [Fact]
    public async Task The_trivial_endpoint_answers_ok()
    {
        var body = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/ping"), HttpStatusCode.OK);
        Assert.Equal("ok", (string)body["status"]!);
    }

    [Fact]
    public async Task A_batch_card_shows_colour_where_and_when_measurements_and_the_predicted_class()
    {
        var batch = Batches.First(b => b.Predicted);
        var card = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{batch.BatchId}"), HttpStatusCode.OK);
        var b = card["batch"]!;
        Assert.Equal(batch.BatchId, (string)b["batchId"]!);
        Assert.Equal(batch.Colour == WineColour.Red ? "red" : "white", (string)b["colour"]!);
        Assert.Equal(batch.WarehouseId, (string)b["warehouseId"]!);
        Assert.Equal(4, (int)b["samples"]!);
        Assert.True(DateTimeOffset.Parse((string)b["firstSampledAt"]!) >= RatingsLakeSeed.Start);
        Assert.Equal(11, b["measurements"]!.AsArray().Count);
        Assert.All(b["measurements"]!.AsArray(), m => Assert.InRange((double)m!["mean"]!, (double)m["min"]!, (double)m["max"]!));
        Assert.Equal(batch.Class.Name(), (string)b["prediction"]!["predictedClass"]!);
        Assert.Equal(3, (int)b["prediction"]!["modelVersion"]!);
        Assert.Equal(0, (int)card["customerRatings"]!["count"]!);
        Assert.Null(card["tasters"]!["median"]);

        var unpredicted = Batches.First(x => !x.Predicted);
        var plain = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{unpredicted.BatchId}"), HttpStatusCode.OK);
        Assert.Null(plain["batch"]!["prediction"]);
    }

    [Theory]
    [InlineData("/api/v1/batches/NO-SUCH-BATCH")]
    [InlineData("/api/v1/batches/%2E%2E%2Fetc")]
    [InlineData("/api/v1/batches/a%20b")]
    public async Task An_unknown_batch_card_is_404_with_problem_details(string path) =>
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, path), HttpStatusCode.NotFound);

    [Fact]
    public async Task The_catalogue_filters_by_colour_predicted_class_and_rating()
    {
        var all = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches"), HttpStatusCode.OK);
        Assert.Equal(Batches.Select(b => b.BatchId).Order(), all["batches"]!.AsArray().Select(b => (string)b!["batchId"]!).Order());

        var reds = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches?colour=red"), HttpStatusCode.OK);
        Assert.Equal(Batches.Where(b => b.Colour == WineColour.Red).Select(b => b.BatchId).Order(),
            reds["batches"]!.AsArray().Select(b => (string)b!["batchId"]!).Order());

        var best = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches?predictedClass=best&colour=white"), HttpStatusCode.OK);
        Assert.Equal(Batches.Where(b => b.Predicted && b.Class == QualityClass.Best && b.Colour == WineColour.White).Select(b => b.BatchId).Order(),
            best["batches"]!.AsArray().Select(b => (string)b!["batchId"]!).Order());

        var liked = Batches[0].BatchId;
        await RateAsync(Customer, liked, 5);
        await RateAsync(OtherCustomer, liked, 4);
        await RateAsync(Customer, Batches[1].BatchId, 2);
        var rated = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches?minStars=4"), HttpStatusCode.OK);
        var entry = Assert.Single(rated["batches"]!.AsArray())!;
        Assert.Equal(liked, (string)entry["batchId"]!);
        Assert.Equal(2, (int)entry["ratings"]!);
        Assert.Equal(4.5, (double)entry["averageStars"]!);

        var page = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches?limit=5&offset=10"), HttpStatusCode.OK);
        Assert.Equal(Batches.Count - 10, page["batches"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_catalogue_pages_by_cursor_newest_first_with_each_batch_once_and_filters_kept()
    {
        var seen = new List<string>();
        var cursors = new List<string>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches?colour=red&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"), HttpStatusCode.OK);
            seen.AddRange(page["batches"]!.AsArray().Select(b => (string)b!["batchId"]!));
            cursor = (string?)page["next"];
            cursors.AddRange(cursor is null ? [] : [cursor]);
        }
        while (cursor is not null);
        var reds = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches?colour=red"), HttpStatusCode.OK);
        Assert.Equal(reds["batches"]!.AsArray().Select(b => (string)b!["batchId"]!), seen); // the same order, no repeats, none missing
        Assert.Equal(Batches.Count(b => b.Colour == WineColour.Red), seen.Count);
        var problem = await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches?offset=2&cursor=" + cursors[0]), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("cursor"));
    }

    [Theory]
    [InlineData("colour=rose")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("predictedClass=excellent")]
    [InlineData("minStars=6")]
    [InlineData("minStars=abc")]
    [InlineData("limit=0")]
    [InlineData("limit=100000")]
    [InlineData("offset=-1")]
    public async Task A_bad_catalogue_filter_is_400_naming_the_parameter(string query)
    {
        var problem = await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches?" + query), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(query.Split('=')[0]));
    }

    [Fact]
    public async Task A_customer_rating_is_stored_in_the_lake_as_the_contract_says_and_changes_the_card()
    {
        var batch = Batches[2].BatchId;
        var created = await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batch}/ratings", Customer, """{"stars":4,"note":"  Lovely, dry.  "}""");
        var rating = await JsonAsync(created, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/customers/alice/ratings/{batch}", created.Headers.Location!.OriginalString);
        Assert.Equal("alice", (string)rating["customerId"]!);
        Assert.Equal("Lovely, dry.", (string)rating["note"]!);

        await App.FlushLakeAsync();

        // No flush here: the API's own publisher moves the rating from the outbox into the lake.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<ObjectEntry> objects;
        while ((objects = await App.Lake.ListAsync(LakeLayout.CustomerRatings, CancellationToken.None).ToListAsync()).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var stored = Assert.Single(objects);
        var ratedAt = DateTimeOffset.Parse((string)rating["ratedAt"]!);
        Assert.Equal(LakeLayout.Opinion(LakeLayout.CustomerRatings, ratedAt, (string)rating["ratingId"]!, 1), stored.Key);
        var lake = JsonNode.Parse((await App.Lake.GetAsync(stored.Key, CancellationToken.None))!.Content)!.AsObject();
        Assert.Equal(["ratingId", "batchId", "customerId", "stars", "note", "ratedAt", "revision", "withdrawn"], lake.Select(p => p.Key));
        Assert.Equal(batch, (string)lake["batchId"]!);
        Assert.Equal(4, (int)lake["stars"]!);
        Assert.EndsWith("Z", (string)lake["ratedAt"]!);

        await RateAsync(OtherCustomer, batch, 1);
        var card = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal(2, (int)card["customerRatings"]!["count"]!);
        Assert.Equal(2.5, (double)card["customerRatings"]!["averageStars"]!);
        Assert.Equal([1, 0, 0, 1, 0], card["customerRatings"]!["starCounts"]!.AsArray().Select(n => (int)n!));
    }

    [Fact]
    public async Task Taster_scores_go_to_the_lake_and_the_card_shows_their_median()
    {
        var batch = Batches[3].BatchId;
        foreach (var (taster, score) in new[] { ("t1", 5), ("t2", 8), ("t3", 6), ("t4", 7) })
        {
            var created = await JsonAsync(await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batch}/taster-scores",
                App.Issuer.TasterToken(taster), $$"""{"score":{{score}}}"""), HttpStatusCode.Created);
            Assert.Equal(taster, (string)created["tasterId"]!);
        }
        var card = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal(6.5, (double)card["tasters"]!["median"]!);
        await App.FlushLakeAsync();
        var objects = await App.Lake.ListAsync(LakeLayout.TasterScores, CancellationToken.None).ToListAsync();
        Assert.Equal(4, objects.Count);
        var lake = JsonNode.Parse((await App.Lake.GetAsync(objects[0].Key, CancellationToken.None))!.Content)!.AsObject();
        Assert.Equal(["scoreId", "batchId", "tasterId", "score", "note", "scoredAt", "revision", "withdrawn"], lake.Select(p => p.Key));
    }

    public static TheoryData<string, string, string?, string?, int> Rejections() => new()
    {
        // name, path (B-000 exists), token kind, body, status
        { "no token", "ratings", null, """{"stars":3}""", 401 },
        { "forged token (other key)", "ratings", "forged", """{"stars":3}""", 401 },
        { "expired token", "ratings", "expired", """{"stars":3}""", 401 },
        { "token from another issuer", "ratings", "other-issuer", """{"stars":3}""", 401 },
        { "token for another audience", "ratings", "other-audience", """{"stars":3}""", 401 },
        { "not a token", "ratings", "garbage", """{"stars":3}""", 401 },
        { "stars 0", "ratings", "customer", """{"stars":0}""", 400 },
        { "stars 6", "ratings", "customer", """{"stars":6}""", 400 },
        { "stars missing", "ratings", "customer", """{"note":"hm"}""", 400 },
        { "stars not a number", "ratings", "customer", """{"stars":"five"}""", 400 },
        { "stars fractional", "ratings", "customer", """{"stars":3.5}""", 400 },
        { "note too long", "ratings", "customer", "{\"stars\":3,\"note\":\"" + new string('x', RatingRules.NoteMaxLength + 1) + "\"}", 400 },
        { "malformed JSON", "ratings", "customer", """{"stars":3""", 400 },
        { "JSON null", "ratings", "customer", "null", 400 },
        { "JSON array", "ratings", "customer", "[1,2]", 400 },
        { "unknown field", "ratings", "customer", """{"stars":3,"price":1}""", 400 },
        { "rating as another customer", "ratings", "customer", """{"stars":3,"customerId":"bob"}""", 403 },
        { "taster posting a customer rating", "ratings", "taster", """{"stars":3}""", 403 },
        { "customer posting a taster score", "taster-scores", "customer", """{"score":7}""", 403 },
        { "taster score 11", "taster-scores", "taster", """{"score":11}""", 400 },
        { "taster score -1", "taster-scores", "taster", """{"score":-1}""", 400 },
        { "taster without token", "taster-scores", null, """{"score":7}""", 401 },
        { "unknown batch", "../NO-SUCH-BATCH/ratings", "customer", """{"stars":3}""", 404 },
        { "body too large", "ratings", "customer", "{\"stars\":3,\"note\":\"" + new string('x', RatingsEndpoints.MaxBodyBytes) + "\"}", 413 },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Every_invalid_post_gets_its_4xx_with_problem_details_and_changes_nothing(string name, string path, string? token, string? body, int status)
    {
        var url = path.StartsWith("../", StringComparison.Ordinal) ? $"/api/v1/batches/{path[3..]}" : $"/api/v1/batches/{Batches[0].BatchId}/{path}";
        var response = await App.SendAsync(HttpMethod.Post, url, Token(token), body);
        var problem = await ProblemAsync(response, (HttpStatusCode)status);
        Assert.True(problem["title"] is not null, name);
        if (status == 401)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        await NothingStoredAsync();
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415_and_changes_nothing()
    {
        var request = App.Request(HttpMethod.Post, $"/api/v1/batches/{Batches[0].BatchId}/ratings", Customer);
        request.Content = new StringContent("stars=3", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await ProblemAsync(await App.Http.SendAsync(request), HttpStatusCode.UnsupportedMediaType);
        var none = App.Request(HttpMethod.Post, $"/api/v1/batches/{Batches[0].BatchId}/ratings", Customer);
        await ProblemAsync(await App.Http.SendAsync(none), HttpStatusCode.UnsupportedMediaType);
        await NothingStoredAsync();
    }

    [Fact]
    public async Task A_forged_token_is_refused_even_on_reads()
    {
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{Batches[0].BatchId}", Token("forged")), HttpStatusCode.Unauthorized);
        await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{Batches[0].BatchId}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_idempotent_retry_creates_one_rating_and_answers_the_same()
    {
        var path = $"/api/v1/batches/{Batches[4].BatchId}/ratings";
        var first = await App.SendAsync(HttpMethod.Post, path, Customer, """{"stars":5,"note":"again"}""", "phone-retry-1");
        var firstBody = await JsonAsync(first, HttpStatusCode.Created);
        Assert.False(first.Headers.Contains(RatingsEndpoints.ReplayedHeader));
        // Concurrent retries, as a phone on a bad network sends them.
        var retries = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            App.SendAsync(HttpMethod.Post, path, Customer, """{"stars":5,"note":"again"}""", "phone-retry-1")));
        foreach (var retry in retries)
        {
            var body = await JsonAsync(retry, HttpStatusCode.Created);
            Assert.Equal((string)firstBody["ratingId"]!, (string)body["ratingId"]!);
            Assert.Equal("true", retry.Headers.GetValues(RatingsEndpoints.ReplayedHeader).Single());
        }
        await App.FlushLakeAsync();
        Assert.Single(await App.Lake.ListAsync(LakeLayout.CustomerRatings, CancellationToken.None).ToListAsync());
        var card = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{Batches[4].BatchId}"), HttpStatusCode.OK);
        Assert.Equal(1, (int)card["customerRatings"]!["count"]!);

        // The same key with another request is refused; another customer's same key is their own.
        await ProblemAsync(await App.SendAsync(HttpMethod.Post, path, Customer, """{"stars":1}""", "phone-retry-1"), HttpStatusCode.UnprocessableEntity);
        await JsonAsync(await App.SendAsync(HttpMethod.Post, path, OtherCustomer, """{"stars":5,"note":"again"}""", "phone-retry-1"), HttpStatusCode.Created);
        await App.FlushLakeAsync();
        Assert.Equal(2, (await App.Lake.ListAsync(LakeLayout.CustomerRatings, CancellationToken.None).ToListAsync()).Count);
    }

    [Fact]
    public async Task Concurrent_first_posts_with_one_key_store_one_rating()
    {
        var path = $"/api/v1/batches/{Batches[5].BatchId}/ratings";
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            App.SendAsync(HttpMethod.Post, path, Customer, """{"stars":3}""", "race-key")));
        var ids = new HashSet<string>();
        foreach (var answer in answers)
        {
            ids.Add((string)(await JsonAsync(answer, HttpStatusCode.Created))["ratingId"]!);
        }
        Assert.Single(ids);
        await App.FlushLakeAsync();
        Assert.Single(await App.Lake.ListAsync(LakeLayout.CustomerRatings, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task A_bad_idempotency_key_is_400()
    {
        var path = $"/api/v1/batches/{Batches[0].BatchId}/ratings";
        var problem = await ProblemAsync(await App.SendAsync(HttpMethod.Post, path, Customer, """{"stars":3}""", new string('k', 101)), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("Idempotency-Key"));
        await NothingStoredAsync();
    }

    [Fact]
    public async Task Recommendations_are_similar_batches_of_the_preferred_class_with_the_nearest_offer_for_the_customer_only()
    {
        // Alice loves two batches of one class; recommendations are of that class, never the ones she rated.
        var loved = Batches.Where(b => b.Predicted && b.Class == QualityClass.Better).Take(2).ToList();
        foreach (var batch in loved)
        {
            await RateAsync(Customer, batch.BatchId, 5);
        }
        await RateAsync(Customer, Batches.First(b => b.Predicted && b.Class == QualityClass.Good).BatchId, 2);
        // Near Bordeaux.
        var body = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/recommendations?lat=44.9&lon=-0.6&limit=10", Customer), HttpStatusCode.OK);
        Assert.Equal("better", (string)body["preferredClass"]!);
        Assert.Equal(loved.Select(b => b.BatchId).Order(), body["liked"]!.AsArray().Select(n => (string)n!).Order());
        var recommended = body["batches"]!.AsArray();
        var expected = Batches.Where(b => b.Predicted && b.Class == QualityClass.Better && !loved.Contains(b)).Select(b => b.BatchId).Order().ToList();
        Assert.Equal(expected, recommended.Select(r => (string)r!["batchId"]!).Order());
        var distances = recommended.Select(r => (double)r!["distance"]!).ToList();
        Assert.Equal(distances.Order(), distances);
        foreach (var r in recommended)
        {
            var index = Batches.ToList().FindIndex(b => b.BatchId == (string)r!["batchId"]!);
            var offer = r!["offer"]!;
            // Bordeaux stocks even batches and is nearer; Lyon stocks every batch.
            Assert.Equal(index % 2 == 0 ? "d-bordeaux" : "d-lyon", (string)offer["distributorId"]!);
            Assert.True((double)offer["distanceKm"]! < (index % 2 == 0 ? 20 : 600));
        }

        await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/recommendations", OtherCustomer), HttpStatusCode.Forbidden);
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/recommendations", Taster), HttpStatusCode.Forbidden);
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/recommendations"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/recommendations?lat=95&lon=0", Customer), HttpStatusCode.BadRequest);
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/recommendations?lat=45", Customer), HttpStatusCode.BadRequest);
        var fresh = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/customers/bob/recommendations", OtherCustomer), HttpStatusCode.OK);
        Assert.Empty(fresh["batches"]!.AsArray());
    }

    [Fact]
    public async Task The_database_is_rebuilt_from_the_lake_with_every_rating()
    {
        await RateAsync(Customer, Batches[0].BatchId, 5);
        await RateAsync(OtherCustomer, Batches[0].BatchId, 3);
        await JsonAsync(await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{Batches[0].BatchId}/taster-scores", Taster, """{"score":7}"""), HttpStatusCode.Created);
        var before = await JsonAsync(await App.SendAsync(HttpMethod.Get, $"/api/v1/batches/{Batches[0].BatchId}"), HttpStatusCode.OK);
        await App.FlushLakeAsync(); // what the lake holds is what survives losing the database

        // The database is lost: a new, empty one is rebuilt from the lake alone.
        var database = await NewDatabaseAsync();
        await using var store = database.Open(TimeProvider.System);
        using var metrics = new RatingsMetrics();
        var indexer = new BatchIndexer(App.Lake, store, Microsoft.Extensions.Logging.Abstractions.NullLogger<BatchIndexer>.Instance, metrics);
        var rebuild = new RatingsRebuild(App.Lake, store, indexer, Microsoft.Extensions.Logging.Abstractions.NullLogger<RatingsRebuild>.Instance);
        var report = await rebuild.RunAsync(CancellationToken.None);
        Assert.Equal((2, 1, 0), (report.RatingRevisionsApplied, report.ScoreRevisionsApplied, report.Unreadable));
        Assert.Equal(4, report.ObjectsIndexed); // two sample objects and their predictions
        Assert.Equal((2L, 1L, (long)Batches.Count), await store.CountsAsync(CancellationToken.None));
        var again = await rebuild.RunAsync(CancellationToken.None); // a second run adds nothing
        Assert.Equal((0, 0, 0), (again.ObjectsIndexed, again.RatingRevisionsApplied, again.ScoreRevisionsApplied));

        await using var rebuilt = await RatingsApp.StartAsync(App.Lake, database);
        var after = await JsonAsync(await rebuilt.SendAsync(HttpMethod.Get, $"/api/v1/batches/{Batches[0].BatchId}"), HttpStatusCode.OK);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task New_samples_in_the_lake_appear_after_a_refresh()
    {
        var extra = WineSample.Create("late-1", "B-LATE", "wh-09", "wh-09-dev-1", RatingsLakeSeed.Start.AddDays(1), WineColour.White,
            [7, 0.3, 0.3, 5, 0.04, 30, 120, 0.994, 3.2, 0.5, 11]);
        await App.Lake.PutAsync(LakeLayout.RawSampleObject(extra.TakenAt, "wine.samples", 1, 0, SampleFormat.Parquet),
            await SampleParquet.WriteAsync([extra], new Dictionary<string, string>(), CancellationToken.None), new Dictionary<string, string>(), CancellationToken.None);
        await ProblemAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches/B-LATE"), HttpStatusCode.NotFound);
        Assert.Equal(1, await App.Server.Services.GetRequiredService<BatchIndexer>().RefreshAsync(CancellationToken.None));
        var card = await JsonAsync(await App.SendAsync(HttpMethod.Get, "/api/v1/batches/B-LATE"), HttpStatusCode.OK);
        Assert.Equal("wh-09", (string)card["batch"]!["warehouseId"]!);
    }

    protected async Task RateAsync(string token, string batchId, int stars) =>
        await JsonAsync(await App.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batchId}/ratings", token, $$"""{"stars":{{stars}}}"""), HttpStatusCode.Created);

    private string? Token(string? kind)
    {
        var other = new DevelopmentIssuer();
        return kind switch
        {
            null => null,
            "customer" => Customer,
            "taster" => Taster,
            "forged" => other.CustomerToken("alice"),
            "expired" => App.Issuer.Token("alice", DevelopmentIssuer.CustomerRole, lifetime: TimeSpan.FromMinutes(-5)),
            "other-issuer" => App.Issuer.Token("alice", DevelopmentIssuer.CustomerRole, issuer: "https://evil.example"),
            "other-audience" => App.Issuer.Token("alice", DevelopmentIssuer.CustomerRole, audience: "another-api"),
            _ => "not.a.token",
        };
    }

    private async Task NothingStoredAsync()
    {
        Assert.Equal(0, await App.FlushLakeAsync());
        Assert.Empty(await App.Lake.ListAsync(LakeLayout.Ratings, CancellationToken.None).ToListAsync());
        var store = App.Server.Services.GetRequiredService<IRatingsStore>();
        var (ratings, scores, _) = await store.CountsAsync(CancellationToken.None);
        Assert.Equal((0L, 0L), (ratings, scores));
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["type"]));
        return problem;
    }
}
