using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using WineFunctions.Ratings;
using WineFunctions.Ratings.Http;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Ratings;

/// <summary>What the page tests browse: a seeded lake (batches and distributors) and the ratings API on Kestrel over SQLite.</summary>
public sealed class PageSite : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private PageSite(LakeStore lake, IReadOnlyList<SeededBatch> batches, DirectoryInfo folder, RatingsApp app)
    {
        Lake = lake;
        Batches = batches;
        _folder = folder;
        App = app;
    }

    public LakeStore Lake { get; }
    public IReadOnlyList<SeededBatch> Batches { get; }
    public RatingsApp App { get; }

    /// <param name="jwt">Who issues tokens; by default the development issuer, so the page offers one-click sign-in.</param>
    public static async Task<PageSite> StartAsync(int batches, JwtSettings? jwt = null)
    {
        var lake = await LakeStore.FolderAsync();
        var seeded = await RatingsLakeSeed.SeedAsync(lake.Store, batches);
        var folder = Directory.CreateTempSubdirectory("wine-page-");
        var app = await RatingsApp.StartAsync(lake.Store, new RatingsDatabase { ConnectionString = $"Data Source={Path.Combine(folder.FullName, "ratings.db")}" }, jwt: jwt);
        return new PageSite(lake, seeded, folder, app);
    }

    /// <summary>The dev customer's rating of a batch as the API answers it, or null when there is none.</summary>
    public async Task<JsonNode?> StoredRatingAsync(string batchId)
    {
        using var answer = await App.SendAsync(HttpMethod.Get, $"/api/v1/customers/{DevelopmentIssuer.DevCustomerId}/ratings/{batchId}",
            App.Issuer.CustomerToken(DevelopmentIssuer.DevCustomerId));
        return answer.StatusCode == HttpStatusCode.NotFound ? null : JsonNode.Parse(await answer.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
    }

    /// <summary>The first recommendation's offer from there, as the API answers it and the page should write it.</summary>
    public async Task<string> NearestOfferAsync(double lat, double lon)
    {
        var path = FormattableString.Invariant($"/api/v1/customers/{DevelopmentIssuer.DevCustomerId}/recommendations?limit=10&lat={lat}&lon={lon}");
        using var answer = await App.SendAsync(HttpMethod.Get, path, App.Issuer.CustomerToken(DevelopmentIssuer.DevCustomerId));
        var offer = JsonNode.Parse(await answer.EnsureSuccessStatusCode().Content.ReadAsStringAsync())!["batches"]![0]!["offer"]!;
        var km = offer["distanceKm"]!.GetValue<double>();
        return string.Create(CultureInfo.InvariantCulture, $"{offer["name"]}, {offer["city"]} · {km:0.0} km away · {offer["bottles"]} bottles");
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Lake.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
