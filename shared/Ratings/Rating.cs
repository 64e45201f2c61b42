using System.Text.Json.Serialization;
using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>
/// A customer's stars for a batch, as stored in the lake (<c>ratings/customer/</c>) and the database.
/// A customer has one rating per batch: each change is a new <paramref name="Revision"/> of it, and
/// withdrawing it is a revision marked <paramref name="Withdrawn"/>.
/// </summary>
public sealed record Rating(
    string RatingId,
    string BatchId,
    string CustomerId,
    int Stars,
    string? Note,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset RatedAt,
    int Revision = 1,
    bool Withdrawn = false) : IOpinion
{
    string IOpinion.Id => RatingId;
    string IOpinion.PersonId => CustomerId;
    int IOpinion.Value => Stars;
    DateTimeOffset IOpinion.At => RatedAt;
}

/// <summary>A professional taster's score on the UCI 0-10 sensory scale (<c>ratings/taster/</c>); one per taster and batch, revised like a <see cref="Rating"/>.</summary>
public sealed record TasterScore(
    string ScoreId,
    string BatchId,
    string TasterId,
    int Score,
    string? Note,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset ScoredAt,
    int Revision = 1,
    bool Withdrawn = false) : IOpinion
{
    string IOpinion.Id => ScoreId;
    string IOpinion.PersonId => TasterId;
    int IOpinion.Value => Score;
    DateTimeOffset IOpinion.At => ScoredAt;
}

/// <summary>What a customer sends to rate a batch. CustomerId is optional and, when given, must be the caller.</summary>
public sealed record RatingRequest(int? Stars, string? Note = null, string? CustomerId = null);

/// <summary>What a taster sends to score a batch.</summary>
public sealed record TasterScoreRequest(int? Score, string? Note = null);

/// <summary>A page of one person's ratings, newest first; <paramref name="Next"/> is the cursor of the next page, if any.</summary>
public sealed record RatingsPage(IReadOnlyList<Rating> Ratings, string? Next);

/// <summary>A page of one taster's scores, newest first.</summary>
public sealed record TasterScoresPage(IReadOnlyList<TasterScore> Scores, string? Next);
