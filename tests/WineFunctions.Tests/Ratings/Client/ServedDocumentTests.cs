using System.Text.Json.Nodes;
using WineFunctions.Ratings.Http;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings.Client;

/// <summary>The served OpenAPI document as an outside linter and a client generator read it.</summary>
public sealed class ServedDocumentTests : IDisposable
{
    private readonly DirectoryInfo _database = Directory.CreateTempSubdirectory("wine-openapi-");

    [Fact]
    public async Task Redocly_finds_no_error_or_warning_in_the_served_document()
    {
        var redocly = Path.Combine(NodeServer.RepositoryRoot(), ".test-tools", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"{redocly} is missing: ./test.sh installs it (npm install --prefix .test-tools @redocly/cli)");
        await using var lake = await LakeStore.FolderAsync();
        await using var app = await RatingsApp.StartOnSqliteAsync(lake.Store, _database);
        var file = Path.Combine(Path.GetTempPath(), $"wine-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await app.Http.GetStringAsync("/openapi/v1.json"));
        try
        {
            // Redocly's recommended rules; offline: no telemetry, no update check.
            var (exitCode, output) = await Commands.RunAsync("env",
                ["REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", redocly, "lint", file, "--format=stylish", "--max-problems=100"],
                Path.GetTempPath(), TimeSpan.FromMinutes(2));
            Assert.True(exitCode == 0, output);
            Assert.Contains("Your API description is valid", output, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\b\d+ warnings?\b", output); // a count of problems, not Redocly's banner about Node.js
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_document_says_which_operations_need_whose_token_and_declares_what_is_served()
    {
        await using var lake = await LakeStore.FolderAsync();
        await using var app = await RatingsApp.StartOnSqliteAsync(lake.Store, _database);
        var document = JsonNode.Parse(await app.Http.GetStringAsync("/openapi/v1.json"))!;
        var scheme = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal(("http", "bearer", "JWT"), ((string)scheme["type"]!, (string)scheme["scheme"]!, (string)scheme["bearerFormat"]!));
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Name: (string)o.Value!["operationId"]!, Operation: o.Value!.AsObject())))
            .ToDictionary(o => o.Name, o => o.Operation);
        string Security(JsonObject operation) => operation["security"] is JsonArray { Count: 0 } ? "anonymous"
            : string.Join(",", operation["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
        Assert.Equal(new Dictionary<string, string>
        {
            ["Ping"] = "anonymous", ["Catalogue"] = "anonymous", ["BatchCard"] = "anonymous", ["BatchOffers"] = "anonymous", ["Distributors"] = "anonymous",
            ["RateBatch"] = "bearer", ["MyRatings"] = "bearer", ["MyRating"] = "bearer", ["PutMyRating"] = "bearer", ["WithdrawMyRating"] = "bearer",
            ["ScoreBatch"] = "bearer", ["MyScores"] = "bearer", ["MyScore"] = "bearer", ["PutMyScore"] = "bearer", ["WithdrawMyScore"] = "bearer",
            ["Recommendations"] = "bearer",
        }, operations.ToDictionary(o => o.Key, o => Security(o.Value)));
        // Every answer with a body has a schema, and every body an example.
        foreach (var (name, operation) in operations)
        {
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                foreach (var (media, content) in response!["content"]?.AsObject() ?? [])
                {
                    Assert.True(content!["schema"] is not null && content["example"] is not null, $"{name} {status} {media} lacks a schema or an example");
                }
            }
        }
        // A token that is sent is checked even where none is needed: an expired one gets 401 there too, which the document must declare.
        var expired = app.Issuer.Token("alice", DevelopmentIssuer.CustomerRole, lifetime: TimeSpan.FromMinutes(-5));
        foreach (var (name, path) in new[] { ("Ping", "/api/v1/ping"), ("Catalogue", "/api/v1/batches"), ("BatchCard", "/api/v1/batches/b-1"),
            ("BatchOffers", "/api/v1/batches/b-1/offers"), ("Distributors", "/api/v1/distributors") })
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await app.SendAsync(HttpMethod.Get, path, expired)).StatusCode);
            Assert.True(operations[name]["responses"]!["401"] is not null, $"{name} answers 401 to a bad token but does not declare it");
        }
        // The document's bounds are the handler's: the catalogue's offset.
        var offset = operations["Catalogue"]["parameters"]!.AsArray().Single(p => (string)p!["name"]! == "offset")!["schema"]!;
        var deepest = (long)offset["maximum"]!;
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.SendAsync(HttpMethod.Get, $"/api/v1/batches?offset={deepest}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await app.SendAsync(HttpMethod.Get, $"/api/v1/batches?offset={deepest + 1}")).StatusCode);
        // What is served: colours and classes by name, a note that may be left out.
        var schemas = document["components"]!["schemas"]!;
        Assert.Equal(["red", "white"], schemas["WineColour"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["good", "better", "best"], schemas["QualityClass"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.DoesNotContain("note", schemas["RatingRequest"]!["required"]?.AsArray().Select(v => (string)v!) ?? []);
        Assert.DoesNotContain("note", schemas["TasterScoreRequest"]!["required"]?.AsArray().Select(v => (string)v!) ?? []);
        Assert.Equal("MIT", (string)document["info"]!["license"]!["identifier"]!);
        Assert.All(document["tags"]!.AsArray(), t => Assert.False(string.IsNullOrEmpty((string?)t!["description"])));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _database.Delete(recursive: true);
    }
}
