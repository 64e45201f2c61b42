using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>A distributor's stock of one batch.</summary>
public sealed record StockLine(string BatchId, int Bottles, decimal PriceEur);

/// <summary>A distributor: where it is (WGS 84 degrees) and what it has in stock.</summary>
public sealed record Distributor(string DistributorId, string Name, string? City, double Latitude, double Longitude, IReadOnlyList<StockLine> Stock);

/// <summary>The reference file <c>reference/distributors.json</c> (format in docs/ratings-api.md).</summary>
public sealed record DistributorsFile(IReadOnlyList<Distributor> Distributors);

/// <summary>A point on the map, e.g. the customer's phone.</summary>
public sealed record GeoPoint(double Latitude, double Longitude)
{
    /// <summary>Great-circle distance in km (haversine).</summary>
    public double KilometresTo(double latitude, double longitude)
    {
        const double EarthRadiusKm = 6371.0;
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(latitude - Latitude);
        var dLon = Radians(longitude - Longitude);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Radians(Latitude)) * Math.Cos(Radians(latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

/// <summary>Where a batch can be bought: a distributor, how far from the customer (when known), its bottles and price.</summary>
public sealed record Offer(string DistributorId, string Name, string? City, double? DistanceKm, int Bottles, decimal PriceEur);

/// <summary>A batch's offers, nearest first.</summary>
public sealed record BatchOffers(string BatchId, IReadOnlyList<Offer> Offers);

/// <summary>A distributor as the API lists it: with its distance from the customer, when known.</summary>
public sealed record DistributorEntry(string DistributorId, string Name, string? City, double Latitude, double Longitude, double? DistanceKm, IReadOnlyList<StockLine> Stock);

/// <summary>The distributors near a customer.</summary>
public sealed record NearbyDistributors(IReadOnlyList<DistributorEntry> Distributors);

/// <summary>
/// The distributors file read from the lake, kept for a minute so that recommendations do not
/// read the lake on every request. A missing or malformed file means no offers, logged. A lake out
/// of reach means the last copy read (or none), tried again after a few seconds: offers are an
/// extra on a recommendation, not a reason to fail it (the health check says the lake is in trouble).
/// </summary>
public sealed class DistributorDirectory(IObjectStore lake, TimeProvider time, ILogger<DistributorDirectory> logger)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);
    private (DistributorsFile File, DateTimeOffset Until)? _cached;

    public async Task<DistributorsFile> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now < cached.Until)
        {
            return cached.File;
        }
        try
        {
            var file = await ReadAsync(cancellationToken);
            _cached = (file, now + KeepFor);
            return file;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not read {Key} from the lake; offers come from the last copy read, if any, until it answers", LakeLayout.Distributors);
            var file = _cached?.File ?? new DistributorsFile([]);
            _cached = (file, now + RetryAfter);
            return file;
        }
    }

    /// <summary>The nearest distributor with the batch in stock; without a location, the one with most bottles.</summary>
    public static Offer? BestOffer(DistributorsFile file, string batchId, GeoPoint? customer) => Offers(file, batchId, customer).FirstOrDefault();

    /// <summary>Every distributor with the batch in stock, nearest first (without a location, most bottles first).</summary>
    public static IReadOnlyList<Offer> Offers(DistributorsFile file, string batchId, GeoPoint? customer) =>
        file.Distributors
            .SelectMany(d => d.Stock.Where(s => s.BatchId == batchId && s.Bottles > 0).Select(s => (Distributor: d, Stock: s)))
            .Select(c => (c.Distributor, c.Stock, Distance: DistanceKm(c.Distributor, customer)))
            .OrderBy(c => c.Distance ?? 0).ThenByDescending(c => c.Stock.Bottles).ThenBy(c => c.Distributor.DistributorId, StringComparer.Ordinal)
            .Select(c => new Offer(c.Distributor.DistributorId, c.Distributor.Name, c.Distributor.City, c.Distance, c.Stock.Bottles, c.Stock.PriceEur))
            .ToList();

    /// <summary>The distributors, nearest first when the customer's location is known, else by name.</summary>
    public static IReadOnlyList<DistributorEntry> Nearby(DistributorsFile file, GeoPoint? customer, int limit) =>
        file.Distributors
            .Select(d => new DistributorEntry(d.DistributorId, d.Name, d.City, d.Latitude, d.Longitude, DistanceKm(d, customer), d.Stock))
            .OrderBy(d => d.DistanceKm ?? 0).ThenBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.DistributorId, StringComparer.Ordinal)
            .Take(limit)
            .ToList();

    private static double? DistanceKm(Distributor distributor, GeoPoint? customer) =>
        customer?.KilometresTo(distributor.Latitude, distributor.Longitude) is { } km ? Math.Round(km, 1) : null;

    public static DistributorsFile Parse(byte[] content) =>
        JsonSerializer.Deserialize(content, DistributorsJsonContext.Default.DistributorsFile) ?? new DistributorsFile([]);

    public static byte[] Serialize(DistributorsFile file) => JsonSerializer.SerializeToUtf8Bytes(file, DistributorsJsonContext.Default.DistributorsFile);

    private async Task<DistributorsFile> ReadAsync(CancellationToken cancellationToken)
    {
        var stored = await lake.GetAsync(LakeLayout.Distributors, cancellationToken);
        if (stored is null)
        {
            return new DistributorsFile([]);
        }
        try
        {
            var file = Parse(stored.Content);
            return file with { Distributors = file.Distributors ?? [] };
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "{Key} is not a distributors file; recommendations carry no offers", LakeLayout.Distributors);
            return new DistributorsFile([]);
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DistributorsFile))]
internal sealed partial class DistributorsJsonContext : JsonSerializerContext;
