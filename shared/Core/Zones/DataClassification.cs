using WineFunctions.Lake;

namespace WineFunctions.Zones;

/// <summary>
/// How sensitive the data under each lake prefix is (docs/zones.md). Written as the
/// <c>classification</c> metadata of every object and carried in every crossing record, so a
/// reviewer sees what kind of data left a zone.
/// </summary>
public static class DataClassification
{
    /// <summary>Bookkeeping, audit records, reference data: no business value on its own.</summary>
    public const string Internal = "internal";

    /// <summary>Measurements of the casks and what the models said about them.</summary>
    public const string Operational = "operational";

    /// <summary>Data about people: customers' ratings and tasters' scores carry their ids.</summary>
    public const string Personal = "personal";

    /// <summary>The wine maker's critical IP: labelled training sets and trained models.</summary>
    public const string Confidential = "confidential";

    public static string Of(string key) => key switch
    {
        _ when key.StartsWith(LakeLayout.RawSamples, StringComparison.Ordinal) => Operational,
        _ when key.StartsWith(LakeLayout.Predictions, StringComparison.Ordinal) => Operational,
        _ when key.StartsWith(LakeLayout.DeadLetters, StringComparison.Ordinal) => Operational,
        _ when key.StartsWith(LakeLayout.Ratings, StringComparison.Ordinal) => Personal,
        _ when key.StartsWith(LakeLayout.TrainingSets, StringComparison.Ordinal) => Confidential,
        _ when key.StartsWith(LakeLayout.Models, StringComparison.Ordinal) => Confidential,
        _ => Internal,
    };
}
