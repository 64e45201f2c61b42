namespace WineFunctions.Zones;

/// <summary>What a function does to a lake object.</summary>
public enum LakeOperation
{
    Read,
    List,
    Write,
    Delete,
}

/// <summary>
/// What one deployed function may do in the lake, by key prefix: the one declaration that
/// Terraform's grants are checked against (tests/WineFunctions.Tests/Deploy) and that
/// <c>wine up --enforce-grants</c> enforces. Reading, writing and deleting are granted apart (a
/// function that only writes a prefix cannot read it back); listing is allowed within any granted
/// prefix, as S3's bucket-wide ListBucket and Blob's container listing are.
/// </summary>
public sealed record LakeGrant(string Function, IReadOnlyList<string> Read, IReadOnlyList<string> Write, IReadOnlyList<string> Delete)
{
    public static readonly IReadOnlyList<LakeGrant> All =
    [
        new("sink", Read: ["_state/sink/"], Write: ["raw/samples/", "_state/sink/", "dead-letters/sink/", "dead-letters/bridge/", "audit/"], Delete: ["_state/sink/"]),
        new("predict", Read: ["raw/samples/", "models/"], Write: ["predictions/", "audit/"], Delete: []),
        // Training records under _state/train/; only a remote training worker (wine train --worker) deletes its jobs there.
        new("train-trigger", Read: ["training/", "models/", "_state/train/"], Write: ["models/", "dead-letters/training/", "audit/", "_state/train/"], Delete: []),
        new("ratings-api", Read: ["raw/samples/", "reference/", "predictions/"], Write: ["ratings/", "audit/"], Delete: []),
    ];

    public static LakeGrant Of(string function) =>
        All.SingleOrDefault(g => g.Function == function) ?? throw new ArgumentException($"no lake grant is declared for '{function}'", nameof(function));

    /// <summary>Every grant as (operation, prefix): what an unused-grant check walks.</summary>
    public IEnumerable<(LakeOperation Operation, string Prefix)> Grants =>
        Read.Select(p => (LakeOperation.Read, p)).Concat(Write.Select(p => (LakeOperation.Write, p))).Concat(Delete.Select(p => (LakeOperation.Delete, p)));

    /// <summary>The granted prefix that allows the operation on <paramref name="key"/> (a prefix, for a listing); null when none does.</summary>
    public string? PrefixFor(LakeOperation operation, string key)
    {
        IEnumerable<string> prefixes = operation switch
        {
            LakeOperation.Read => Read,
            LakeOperation.Write => Write,
            LakeOperation.Delete => Delete,
            _ => [.. Read, .. Write, .. Delete],
        };
        return prefixes.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal));
    }
}
