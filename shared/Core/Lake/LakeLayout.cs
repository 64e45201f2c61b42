using System.Globalization;

namespace WineFunctions.Lake;

/// <summary>The format of a raw sample object.</summary>
public enum SampleFormat
{
    Parquet,
    JsonLines,
}

/// <summary>
/// Where each kind of data lives in the lake (documented in docs/lake-layout.md): one prefix per
/// kind, and deterministic names, so that a retry rewrites the same object instead of adding one.
/// </summary>
public static class LakeLayout
{
    public const string RawSamples = "raw/samples/";
    public const string Predictions = "predictions/";
    public const string TrainingSets = "training/";
    public const string Models = "models/";
    public const string Ratings = "ratings/";
    public const string DeadLetters = "dead-letters/";
    public const string SinkState = "_state/sink/";
    public const string CustomerRatings = "ratings/customer/";
    public const string TasterScores = "ratings/taster/";
    public const string Reference = "reference/";
    public const string Audit = "audit/";

    /// <summary>Distributors and their stock, for the offers next to recommendations.</summary>
    public const string Distributors = "reference/distributors.json";

    /// <summary>
    /// A raw sample object: partitioned by the UTC date and hour the samples were taken, named by
    /// topic, Kafka partition and the offset of its first record, e.g.
    /// <c>raw/samples/date=2026-11-26/hour=18/wine.samples+3+000000000412.parquet</c>.
    /// </summary>
    public static string RawSampleObject(DateTimeOffset takenAt, string topic, int partition, long firstOffset, SampleFormat format)
    {
        var utc = takenAt.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"{RawSamples}date={utc:yyyy-MM-dd}/hour={utc:HH}/{RecordRun(topic, partition, firstOffset)}{Extension(format)}");
    }

    /// <summary>Records of a run the sink could not store as samples, with the reason for each.</summary>
    public static string SinkDeadLetters(string topic, int partition, long firstOffset) =>
        $"{DeadLetters}sink/{RecordRun(topic, partition, firstOffset)}.jsonl";

    public const string BridgeDeadLetters = DeadLetters + "bridge/";

    /// <summary>One record the bridge dead-lettered (its dead-letter topic's record, kept in the lake): named by its offset, so a retried batch rewrites it.</summary>
    public static string BridgeDeadLetter(string topic, int partition, long offset) =>
        $"{BridgeDeadLetters}{RecordRun(topic, partition, offset)}.jsonl";

    /// <summary>The sink's claims on runs of a partition, one per run start: whoever writes a run from there cuts it the same.</summary>
    public static string SinkClaims(string topic, int partition) => $"{SinkState}{topic}+{partition}+";

    public static string SinkClaim(string topic, int partition, long start) =>
        string.Create(CultureInfo.InvariantCulture, $"{SinkClaims(topic, partition)}{start:D12}.json");

    /// <summary>
    /// The predictions for a raw sample object: the same partitions and name under
    /// <see cref="Predictions"/>, so a retried or duplicated event rewrites the same object.
    /// </summary>
    public static string PredictionsFor(string rawSampleKey)
    {
        if (!rawSampleKey.StartsWith(RawSamples, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{rawSampleKey}' is not under {RawSamples}.", nameof(rawSampleKey));
        }
        var rest = rawSampleKey[RawSamples.Length..];
        var dot = rest.LastIndexOf('.');
        return $"{Predictions}{(dot > rest.LastIndexOf('/') ? rest[..dot] : rest)}.parquet";
    }

    /// <summary>
    /// One revision of a customer's rating or a taster's score (<paramref name="prefix"/> is
    /// <see cref="CustomerRatings"/> or <see cref="TasterScores"/>), one JSON object each. Objects the
    /// first release wrote are named <c>{id}.json</c>: revision 1, read the same way.
    /// </summary>
    public static string Opinion(string prefix, DateTimeOffset at, string id, int revision) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}date={at.UtcDateTime:yyyy-MM-dd}/{id}-{revision}.json");

    private static string RecordRun(string topic, int partition, long firstOffset) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}+{partition}+{firstOffset:D12}");

    private static string Extension(SampleFormat format) => format == SampleFormat.Parquet ? ".parquet" : ".jsonl";
}
