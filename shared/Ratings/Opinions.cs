using System.Text.Json;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>What a rating and a taster score have in common: one person's revisable opinion of one batch.</summary>
public interface IOpinion
{
    string Id { get; }
    string BatchId { get; }
    string PersonId { get; }
    int Value { get; }
    string? Note { get; }
    DateTimeOffset At { get; }
    int Revision { get; }
    bool Withdrawn { get; }
}

/// <summary>A change a person asks for: a value (with its note) or, with no value, withdrawing their opinion.</summary>
public sealed record OpinionEdit(string BatchId, string PersonId, int? Value, string? Note, DateTimeOffset At, string NewId);

/// <summary>What a change did to the person's opinion of the batch.</summary>
public enum OpinionChange
{
    Created,
    Updated,
    /// <summary>The same value and note again: nothing written.</summary>
    Unchanged,
    Withdrawn,
    /// <summary>A withdrawal of an opinion that does not exist (or is already withdrawn).</summary>
    NothingToWithdraw,
}

/// <summary>The store's answer to a change: the opinion as it now stands, or the answer stored earlier under the same Idempotency-Key.</summary>
public sealed record OpinionWrite<T>(OpinionChange Change, T? Value, IdempotencyEntry? Earlier) where T : class;

/// <summary>
/// One kind of opinion (customers' ratings, tasters' scores): its table, its lake objects, and the
/// rule for which of a person's revisions stands: the highest revision, then the latest, then the
/// greatest id (databases of the first schema held several revision-1 ratings per person).
/// </summary>
public sealed class OpinionKind<T> where T : class, IOpinion
{
    private OpinionKind(string name, string table, string id, string person, string value, string time, string lakePrefix,
        Func<IOpinion, T> create, Func<T, byte[]> serialize, Func<byte[], T?> read)
    {
        Name = name;
        Table = table;
        IdColumn = id;
        PersonColumn = person;
        ValueColumn = value;
        TimeColumn = time;
        LakePrefix = lakePrefix;
        Create = create;
        Serialize = serialize;
        Read = read;
    }

    /// <summary>e.g. <c>rating</c>; also the kind in idempotency fingerprints and metrics.</summary>
    public string Name { get; }
    public string Table { get; }
    public string IdColumn { get; }
    public string PersonColumn { get; }
    public string ValueColumn { get; }
    public string TimeColumn { get; }
    public string LakePrefix { get; }
    public Func<IOpinion, T> Create { get; }
    public Func<T, byte[]> Serialize { get; }
    public Func<byte[], T?> Read { get; }

    /// <summary>Each revision is its own lake object, so the lake keeps the history and no object is ever overwritten.</summary>
    public string KeyOf(T opinion) => LakeLayout.Opinion(LakePrefix, opinion.At, opinion.Id, opinion.Revision);

    internal static OpinionKind<Rating> Ratings { get; } = new("rating", "customer_ratings", "rating_id", "customer_id", "stars", "rated_ms", LakeLayout.CustomerRatings,
        o => new Rating(o.Id, o.BatchId, o.PersonId, o.Value, o.Note, o.At, o.Revision, o.Withdrawn),
        r => JsonSerializer.SerializeToUtf8Bytes(r, RatingsLakeJsonContext.Default.Rating),
        b => JsonSerializer.Deserialize(b, RatingsLakeJsonContext.Default.Rating));

    internal static OpinionKind<TasterScore> Scores { get; } = new("taster-score", "taster_scores", "score_id", "taster_id", "score", "scored_ms", LakeLayout.TasterScores,
        o => new TasterScore(o.Id, o.BatchId, o.PersonId, o.Value, o.Note, o.At, o.Revision, o.Withdrawn),
        s => JsonSerializer.SerializeToUtf8Bytes(s, RatingsLakeJsonContext.Default.TasterScore),
        b => JsonSerializer.Deserialize(b, RatingsLakeJsonContext.Default.TasterScore));
}

/// <summary>The two kinds of opinion.</summary>
public static class Opinions
{
    public static OpinionKind<Rating> Ratings => OpinionKind<Rating>.Ratings;

    public static OpinionKind<TasterScore> Scores => OpinionKind<TasterScore>.Scores;
}
