using System.Net;
using System.Text.Json.Nodes;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>An odd object or an unreachable lake never stops the ratings API: it serves what it has and says so.</summary>
public sealed class LakeTroubleTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wine-ratings-trouble-");

    private RatingsDatabase Database => new() { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_folder.FullName, "ratings.db")}" };

    [Fact]
    public async Task A_key_the_lake_would_never_write_is_skipped_and_counted_and_the_api_serves_the_rest()
    {
        var lake = new FolderObjectStore(Path.Combine(_folder.FullName, "lake"));
        var batches = await RatingsLakeSeed.SeedAsync(lake, batches: 3);
        var stored = Directory.EnumerateFiles(Path.Combine(_folder.FullName, "lake", "raw"), "*.parquet", SearchOption.AllDirectories).First();
        // Someone copied a file by hand.
        File.Copy(stored, Path.Combine(Path.GetDirectoryName(stored)!, "upload (1).parquet"));

        await using var app = await RatingsApp.StartAsync(lake, Database);
        var catalogue = JsonNode.Parse(await app.Http.GetStringAsync("/api/v1/batches"))!;
        Assert.Equal(batches.Select(b => b.BatchId).Order(), catalogue["batches"]!.AsArray().Select(b => (string)b!["batchId"]!).Order());
        Assert.Equal(1, lake.SkippedKeys);
    }

    [Fact]
    public async Task A_lake_that_cannot_be_reached_at_start_does_not_stop_the_api_and_its_health_says_so()
    {
        var nobody = Mqtt.EmbeddedMqttBroker.FreeLoopbackPort();
        var lake = new LakeSettings
        {
            Kind = LakeKind.S3,
            S3 = new S3LakeSettings { Bucket = "lake", ServiceUrl = $"http://127.0.0.1:{nobody}", ForcePathStyle = true, AccessKey = "S3RVER", SecretKey = "S3RVER" },
        }.Open();

        await using var app = await RatingsApp.StartAsync(lake, Database);
        var ping = await app.Http.GetAsync("/api/v1/ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        var health = JsonNode.Parse(await ping.Content.ReadAsStringAsync())!;
        Assert.Equal("degraded", (string)health["status"]!);
        Assert.Contains("lake", (string)health["lake"]!);
        var catalogue = await app.Http.GetAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.OK, catalogue.StatusCode);
        // The distributors live in the lake too: none are known, which is no reason to fail the customer's request.
        var distributors = await app.SendAsync(HttpMethod.Get, "/api/v1/distributors");
        Assert.True(distributors.StatusCode == HttpStatusCode.OK, await distributors.Content.ReadAsStringAsync());
        Assert.Empty(JsonNode.Parse(await distributors.Content.ReadAsStringAsync())!["distributors"]!.AsArray());
        var recommendations = await app.SendAsync(HttpMethod.Get, "/api/v1/customers/alice/recommendations", app.Issuer.CustomerToken("alice"));
        Assert.True(recommendations.StatusCode == HttpStatusCode.OK, await recommendations.Content.ReadAsStringAsync());
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
