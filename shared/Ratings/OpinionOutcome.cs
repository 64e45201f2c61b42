namespace WineFunctions.Ratings;

/// <summary>What became of a rating or score a caller posted, put or withdrew.</summary>
public abstract record OpinionOutcome<T>
{
    /// <summary>
    /// The opinion as it now stands (the last revision, when withdrawn); with <paramref name="Replayed"/>,
    /// the answer given earlier under the same Idempotency-Key.
    /// </summary>
    public sealed record Stored(T Value, OpinionChange Change, bool Replayed) : OpinionOutcome<T>;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : OpinionOutcome<T>;

    public sealed record UnknownBatch(string BatchId) : OpinionOutcome<T>;

    /// <summary>The caller tried to act as someone else.</summary>
    public sealed record NotYou(string Detail) : OpinionOutcome<T>;

    /// <summary>The Idempotency-Key was used before for a different request.</summary>
    public sealed record KeyReused(string Key) : OpinionOutcome<T>;

    /// <summary>A withdrawal of an opinion the caller does not hold.</summary>
    public sealed record NoOpinion : OpinionOutcome<T>;
}
