using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>The API's hosting: its Functions triggers, OpenAPI and Scalar, rate limits, object-store lakes, and hostile input.</summary>
public sealed class RatingsHostTests : IDisposable
{
    private readonly DirectoryInfo _databases = Directory.CreateTempSubdirectory("wine-ratings-db-");

    [Fact]
    public void The_Functions_app_declares_one_anonymous_http_trigger_per_endpoint_under_api_v1()
    {
        var functions = FunctionsMetadata.Read("functions/ratings-api");
        var routes = functions.ToDictionary(f => (string)f!["name"]!, f =>
        {
            Assert.Equal("dotnet-isolated", (string)f!["language"]!);
            var bindings = f["bindings"]!.AsArray();
            var trigger = Assert.Single(bindings, b => (string)b!["type"]! == "httpTrigger")!;
            Assert.Equal("Anonymous", (string)trigger["authLevel"]!); // identity is the bearer token, checked by the shared code
            Assert.Single(bindings, b => (string)b!["type"]! == "http" && (string)b["direction"]! == "Out");
            return $"{string.Join(",", trigger["methods"]!.AsArray().Select(m => (string)m!))} {(string)trigger["route"]!}";
        });
        Assert.Equal(new Dictionary<string, string>
        {
            ["Ping"] = "get api/v1/ping",
            ["Catalogue"] = "get api/v1/batches",
            ["BatchCard"] = "get api/v1/batches/{batchId}",
            ["RateBatch"] = "post api/v1/batches/{batchId}/ratings",
            ["ScoreBatch"] = "post api/v1/batches/{batchId}/taster-scores",
            ["Recommendations"] = "get api/v1/customers/{customerId}/recommendations",
            ["MyRatings"] = "get api/v1/customers/{customerId}/ratings",
            ["MyRating"] = "get api/v1/customers/{customerId}/ratings/{batchId}",
            ["PutMyRating"] = "put api/v1/customers/{customerId}/ratings/{batchId}",
            ["WithdrawMyRating"] = "delete api/v1/customers/{customerId}/ratings/{batchId}",
            ["MyScores"] = "get api/v1/tasters/{tasterId}/scores",
            ["MyScore"] = "get api/v1/tasters/{tasterId}/scores/{batchId}",
            ["PutMyScore"] = "put api/v1/tasters/{tasterId}/scores/{batchId}",
            ["WithdrawMyScore"] = "delete api/v1/tasters/{tasterId}/scores/{batchId}",
            ["BatchOffers"] = "get api/v1/batches/{batchId}/offers",
            ["Distributors"] = "get api/v1/distributors",
            ["WebPage"] = "get web/{*file}",
        }, routes);
        // The routes above are the full paths only because the app's host.json empties the "api" prefix.
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(NodeServer.RepositoryRoot(), "functions/ratings-api/host.json")))!;
        Assert.Equal("", (string)host["extensions"]!["http"]!["routePrefix"]!);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_endpoint_and_Scalar_serves_it()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var app = await RatingsApp.StartAsync(lake.Store, await SqliteAsync());
        var document = JsonNode.Parse(await app.Http.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).Order().ToList();
        Assert.Equal(["/api/v1/batches", "/api/v1/batches/{batchId}", "/api/v1/batches/{batchId}/offers", "/api/v1/batches/{batchId}/ratings", "/api/v1/batches/{batchId}/taster-scores",
            "/api/v1/customers/{customerId}/ratings", "/api/v1/customers/{customerId}/ratings/{batchId}",
            "/api/v1/customers/{customerId}/recommendations", "/api/v1/distributors", "/api/v1/ping", "/api/v1/tasters/{tasterId}/scores", "/api/v1/tasters/{tasterId}/scores/{batchId}"], paths);
        Assert.NotNull(document["paths"]!["/api/v1/batches/{batchId}/ratings"]!["post"]!["requestBody"]);
        var scalar = await app.Http.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Contains("openapi/v1.json", await scalar.Content.ReadAsStringAsync());
        var page = await app.Http.GetAsync("/web/");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        await RatingsApiContract.ProblemAsync(await app.Http.GetAsync("/web/secret.txt"), HttpStatusCode.NotFound);
        await RatingsApiContract.ProblemAsync(await app.Http.GetAsync("/api/v2/batches"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Answers_are_compressed_for_clients_that_accept_it()
    {
        await using var lake = await LakeStore.FolderAsync();
        await RatingsLakeSeed.SeedAsync(lake.Store);
        await using var app = await RatingsApp.StartAsync(lake.Store, await SqliteAsync());
        foreach (var encoding in new[] { "br", "gzip" })
        {
            var request = app.Request(HttpMethod.Get, "/api/v1/batches");
            request.Headers.AcceptEncoding.ParseAdd(encoding);
            var answer = await app.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(encoding, Assert.Single(answer.Content.Headers.ContentEncoding));
        }
    }

    [Fact]
    public async Task Each_caller_has_their_own_rate_limit_and_is_told_when_to_retry()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var app = await RatingsApp.StartAsync(lake.Store, await SqliteAsync(), new RateLimitSettings { PerSecond = 1, Burst = 3 });
        var alice = app.Issuer.CustomerToken("alice");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await app.SendAsync(HttpMethod.Get, "/api/v1/ping", alice));
        }
        var limited = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("1", limited.Headers.RetryAfter!.ToString());
        await RatingsApiContract.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        // Bob is another caller with a full bucket.
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, "/api/v1/ping", app.Issuer.CustomerToken("bob"))).StatusCode);
    }

    [Theory]
    [InlineData("s3rver")]
    [InlineData("azurite")]
    public async Task Ratings_land_in_an_object_store_lake(string kind)
    {
        await using var lake = kind == "s3rver" ? await LakeStore.S3rverAsync() : await LakeStore.AzuriteAsync();
        var batches = await RatingsLakeSeed.SeedAsync(lake.Store, batches: 3);
        await using var app = await RatingsApp.StartAsync(lake.Store, await SqliteAsync());
        var rating = await RatingsApiContract.JsonAsync(await app.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batches[0].BatchId}/ratings",
            app.Issuer.CustomerToken("carol"), """{"stars":5,"note":"Très bon"}""", "k-1"), HttpStatusCode.Created);
        var score = await RatingsApiContract.JsonAsync(await app.SendAsync(HttpMethod.Post, $"/api/v1/batches/{batches[0].BatchId}/taster-scores",
            app.Issuer.TasterToken("tina"), """{"score":8}"""), HttpStatusCode.Created);
        await app.FlushLakeAsync();
        var ratingObject = await lake.Store.GetAsync(LakeLayout.Opinion(LakeLayout.CustomerRatings, DateTimeOffset.Parse((string)rating["ratedAt"]!), (string)rating["ratingId"]!, 1), CancellationToken.None);
        Assert.Equal("Très bon", Opinions.Ratings.Read(ratingObject!.Content)!.Note);
        var scoreObject = await lake.Store.GetAsync(LakeLayout.Opinion(LakeLayout.TasterScores, DateTimeOffset.Parse((string)score["scoredAt"]!), (string)score["scoreId"]!, 1), CancellationToken.None);
        Assert.Equal(8, Opinions.Scores.Read(scoreObject!.Content)!.Score);
    }

    [Fact]
    public async Task Random_bodies_headers_paths_and_methods_never_get_a_5xx()
    {
        await using var lake = await LakeStore.FolderAsync();
        var batches = await RatingsLakeSeed.SeedAsync(lake.Store, batches: 3);
        await using var app = await RatingsApp.StartAsync(lake.Store, await SqliteAsync());
        var random = new Random(20261126);
        string[] paths =
        [
            "/api/v1/ping", "/api/v1/batches", $"/api/v1/batches/{batches[0].BatchId}", $"/api/v1/batches/{batches[0].BatchId}/ratings",
            $"/api/v1/batches/{batches[1].BatchId}/taster-scores", "/api/v1/customers/alice/recommendations", "/web/", "/openapi/v1.json",
            "/api/v1/batches/%00", "/api/v1/batches/" + new string('b', 3000), "/api/v1/batches?limit=%FF%FE&colour[]=1", "/api/v1/customers/%20/recommendations?lat=NaN&lon=Infinity",
        ];
        string[] bodies =
        [
            "", "{", "}", "null", "[]", "\"x\"", "1e999", """{"stars":1e999}""", """{"stars":-2147483649}""", """{"stars":3,"note":null}""",
            """{"stars":3,"note":"\u0000"}""", """{"stars":{"$gt":1}}""", """{"score":10,"note":"ok"}""", new string('[', 5000), "\uFEFF{\"stars\":3}",
            """{"stars":3,"stars":4}""", """{"customerId":null,"stars":2}""",
        ];
        string[] contentTypes = ["application/json", "application/json; charset=latin1", "text/plain", "application/problem+json", "multipart/form-data; boundary=x", "application/json; charset=utf-32"];
        string?[] tokens = [null, app.Issuer.CustomerToken("alice"), app.Issuer.TasterToken("t"), "", "Bearer", "a.b.c", new string('x', 10_000),
            app.Issuer.Token("", "customer"), app.Issuer.Token("alice", "admin")];
        var methods = new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options, HttpMethod.Head };
        for (var i = 0; i < 600; i++)
        {
            var request = new HttpRequestMessage(methods[random.Next(methods.Length)], paths[random.Next(paths.Length)]);
            var body = random.Next(4) == 0 ? RandomText(random) : bodies[random.Next(bodies.Length)];
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head || random.Next(5) == 0)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentTypes[random.Next(contentTypes.Length)]);
            }
            if (tokens[random.Next(tokens.Length)] is { } token)
            {
                request.Headers.TryAddWithoutValidation("Authorization", random.Next(3) == 0 ? token : "Bearer " + token);
            }
            if (random.Next(3) == 0)
            {
                request.Headers.TryAddWithoutValidation(RatingsEndpoints.IdempotencyKeyHeader, random.Next(2) == 0 ? RandomText(random) : $"key-{random.Next(5)}");
            }
            if (random.Next(4) == 0)
            {
                request.Headers.TryAddWithoutValidation("Accept", RandomText(random));
            }
            var response = await app.Http.SendAsync(request);
            Assert.True((int)response.StatusCode < 500, $"{request.Method} {request.RequestUri} with '{body}' got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string RandomText(Random random)
    {
        var chars = new char[random.Next(0, 64)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(0x20, 0x7f);
        }
        return new string(chars);
    }

    private Task<RatingsDatabase> SqliteAsync() => Task.FromResult(new RatingsDatabase
    {
        ConnectionString = $"Data Source={Path.Combine(_databases.FullName, "ratings.db")}",
    });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _databases.Delete(recursive: true);
    }
}
