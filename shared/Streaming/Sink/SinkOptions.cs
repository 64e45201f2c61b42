using WineFunctions.Lake;

namespace WineFunctions.Sink;

/// <summary>How the sink batches samples into objects (configuration section <c>Sink</c>).</summary>
public sealed record SinkOptions
{
    public string BootstrapServers { get; init; } = "";
    public string Topic { get; init; } = "wine.samples";
    public string ConsumerGroup { get; init; } = "wine-sink";

    /// <summary>The bridge's dead-letter topic, whose records are kept under <c>dead-letters/bridge/</c>; none: not read.</summary>
    public string? DeadLetterTopic { get; init; }
    public SampleFormat Format { get; init; } = SampleFormat.Parquet;

    /// <summary>A partition's buffer is written as objects at this many records…</summary>
    public int FlushRecords { get; init; } = 10_000;

    /// <summary>…or at this many bytes of samples…</summary>
    public long FlushBytes { get; init; } = 16L << 20;

    /// <summary>…or this long after its first record arrived, even if nothing more comes (a quiet partition).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes buffered across all partitions at most; past it the largest buffer is written early.</summary>
    public long MaxBufferedBytes { get; init; } = 64L << 20;

    /// <summary>Sample ids per partition remembered to drop upstream duplicates (the bridge delivers at least once).</summary>
    public int DuplicateWindow { get; init; } = 20_000;

    /// <summary>Extra librdkafka consumer settings (security.protocol, sasl.*).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(BootstrapServers)) problems.Add("Sink:BootstrapServers is required");
        if (string.IsNullOrWhiteSpace(Topic)) problems.Add("Sink:Topic is required");
        if (string.IsNullOrWhiteSpace(ConsumerGroup)) problems.Add("Sink:ConsumerGroup is required");
        if (DeadLetterTopic is not null && (DeadLetterTopic.Trim().Length == 0 || DeadLetterTopic == Topic)) problems.Add("Sink:DeadLetterTopic, when given, must name a topic other than Sink:Topic");
        if (FlushRecords < 1) problems.Add("Sink:FlushRecords must be at least 1");
        if (FlushBytes < 1024) problems.Add("Sink:FlushBytes must be at least 1 KiB");
        if (FlushInterval < TimeSpan.FromMilliseconds(100)) problems.Add("Sink:FlushInterval must be at least 100 ms");
        if (MaxBufferedBytes < FlushBytes) problems.Add("Sink:MaxBufferedBytes must be at least Sink:FlushBytes");
        if (DuplicateWindow < 0) problems.Add("Sink:DuplicateWindow must not be negative");
        return problems;
    }
}
