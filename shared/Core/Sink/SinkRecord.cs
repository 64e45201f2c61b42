namespace WineFunctions.Sink;

/// <summary>A Kafka record as the sink sees it, whichever host delivered it.</summary>
public sealed record SinkRecord(string Topic, int Partition, long Offset, byte[] Value);
