using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Telemetry;

namespace WineFunctions.Sink;

/// <summary>
/// Keeps what the bridge dead-lettered: each record of its dead-letter topic becomes one object
/// under <c>dead-letters/bridge/</c>, in the sink's own dead-letter form (topic, partition, offset,
/// the bridge's reasons, the message as the device sent it) with the record's trace context, so
/// that it outlives the topic's retention and <c>wine trace</c> finds it beside the sink's.
/// Named by offset: a retried batch rewrites the same objects.
/// </summary>
public sealed partial class BridgeDeadLetterArchive(IObjectStore lake, ILogger<BridgeDeadLetterArchive> logger)
{
    /// <summary>The header in which the bridge gives its reasons (one per line).</summary>
    public const string ReasonsHeader = "dlq-reasons";

    public async Task WriteAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            var letter = new SinkDeadLetter(record.Topic, record.Partition, record.Offset,
                Readable(record.DeadLetterReasons), Encoding.UTF8.GetString(record.Value));
            var metadata = new Dictionary<string, string> { [ObjectMetadata.Format] = "jsonl" };
            if (record.TraceParent is { } traceParent)
            {
                metadata[WineTelemetry.TraceParent] = traceParent;
            }
            await lake.PutAsync(LakeLayout.BridgeDeadLetter(record.Topic, record.Partition, record.Offset),
                Encoding.UTF8.GetBytes(JsonSerializer.Serialize(letter, SinkJsonContext.Default.SinkDeadLetter) + "\n"), metadata, cancellationToken);
        }
        if (records.Count > 0)
        {
            LogKept(records.Count, records[0].Topic);
        }
    }

    /// <summary>The bridge's reasons (a JSON list of field, code and message) as "field: message; ...", or as they came.</summary>
    private static string Readable(string? reasons)
    {
        if (reasons is null)
        {
            return "the bridge gave no reason";
        }
        try
        {
            using var json = JsonDocument.Parse(reasons);
            return string.Join("; ", json.RootElement.EnumerateArray().Select(r => $"{r.GetProperty("field").GetString()}: {r.GetProperty("message").GetString()}"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return reasons;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept {Count} dead letters of {Topic} in the lake")]
    private partial void LogKept(int count, string topic);
}
