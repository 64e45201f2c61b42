using System.Text.Json;
using System.Text.Json.Serialization;

namespace WineFunctions.Ratings.Http;

/// <summary>The API's JSON: camelCase, enums by their lower-case names, unknown request fields refused.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(BatchCard))]
[JsonSerializable(typeof(CataloguePage))]
[JsonSerializable(typeof(Recommendations))]
[JsonSerializable(typeof(Rating))]
[JsonSerializable(typeof(TasterScore))]
[JsonSerializable(typeof(RatingsPage))]
[JsonSerializable(typeof(TasterScoresPage))]
[JsonSerializable(typeof(RatingRequest))]
[JsonSerializable(typeof(TasterScoreRequest))]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(BatchOffers))]
[JsonSerializable(typeof(NearbyDistributors))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>The trivial endpoint's answer: ok, or degraded with what the lake's trouble is (the API still answers).</summary>
public sealed record Health(string Status, string? Lake = null);
