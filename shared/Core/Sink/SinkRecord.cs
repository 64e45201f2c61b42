namespace WineFunctions.Sink;

/// <summary>A Kafka record as the sink sees it, whichever host delivered it; <paramref name="TraceParent"/> is its W3C trace context header, if any.</summary>
public sealed record SinkRecord(string Topic, int Partition, long Offset, byte[] Value, string? TraceParent = null);
