namespace WineFunctions.Sink;

/// <summary>
/// A Kafka record as the sink sees it, whichever host delivered it; <paramref name="TraceParent"/> is its W3C trace
/// context header, if any, and <paramref name="DeadLetterReasons"/> the bridge's reasons on a record of its dead-letter topic.
/// </summary>
public sealed record SinkRecord(string Topic, int Partition, long Offset, byte[] Value, string? TraceParent = null, string? DeadLetterReasons = null);
