namespace WineFunctions.Ratings;

/// <summary>What became of a rating or score a caller posted.</summary>
public abstract record PostOutcome<T>
{
    /// <summary>Stored (or, with <paramref name="Replayed"/>, stored earlier under the same Idempotency-Key).</summary>
    public sealed record Accepted(T Value, bool Replayed) : PostOutcome<T>;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : PostOutcome<T>;

    public sealed record UnknownBatch(string BatchId) : PostOutcome<T>;

    /// <summary>The caller tried to act as someone else.</summary>
    public sealed record NotYou(string Detail) : PostOutcome<T>;

    /// <summary>The Idempotency-Key was used before for a different request.</summary>
    public sealed record KeyReused(string Key) : PostOutcome<T>;
}
