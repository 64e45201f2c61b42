using System.Text.Json.Serialization;
using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>A customer's stars for a batch, as stored in the lake (<c>ratings/customer/</c>) and the database.</summary>
public sealed record Rating(
    string RatingId,
    string BatchId,
    string CustomerId,
    int Stars,
    string? Note,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset RatedAt);

/// <summary>A professional taster's score on the UCI 0-10 sensory scale (<c>ratings/taster/</c>).</summary>
public sealed record TasterScore(
    string ScoreId,
    string BatchId,
    string TasterId,
    int Score,
    string? Note,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset ScoredAt);

/// <summary>What a customer sends to rate a batch. CustomerId is optional and, when given, must be the caller.</summary>
public sealed record RatingRequest(int? Stars, string? Note, string? CustomerId = null);

/// <summary>What a taster sends to score a batch.</summary>
public sealed record TasterScoreRequest(int? Score, string? Note);
