using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;

using WineFunctions.Telemetry;

namespace WineFunctions.Sink;

/// <summary>
/// The sink for a Functions host, whose Kafka extension cuts the batches and commits after the
/// function returns: each partition's records are written as claimed runs (a batch is cut where an
/// earlier attempt's claim ends, so a retried batch rewrites the same objects); the function throws
/// only if the store refuses even the dead-letter write, and the host then retries the batch.
/// </summary>
public sealed class FunctionBatchSink(RunStore runs, ILogger<FunctionBatchSink> logger, SinkMetrics? metrics = null)
{
    public async Task<IReadOnlyList<RunResult>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        var results = new List<RunResult>();
        foreach (var partition in batch.GroupBy(r => (r.Topic, r.Partition)))
        {
            var records = partition.OrderBy(r => r.Offset).ToList();
            while (records.Count > 0)
            {
                var claim = await runs.ClaimAsync(partition.Key.Topic, partition.Key.Partition, records[0].Offset, records[^1].Offset, cancellationToken);
                if (claim.End > records[^1].Offset)
                {
                    logger.LogWarning("Batch of {Topic}/{Partition} ends at {Last}, before the claimed run's end {End}; writing what it holds",
                        partition.Key.Topic, partition.Key.Partition, records[^1].Offset, claim.End);
                }
                var run = records.TakeWhile(r => r.Offset <= claim.End).ToList();
                // Each batch stands alone here: the extension gives no history to de-duplicate against beyond it.
                var started = Stopwatch.GetTimestamp();
                var result = await runs.StoreAsync(run, new RecentSampleIds(0), cancellationToken);
                metrics?.Stored(result, Stopwatch.GetElapsedTime(started));
                results.Add(result);
                records.RemoveRange(0, run.Count);
            }
        }
        return results;
    }

    /// <summary>The Kafka extension hands each batched event over as JSON: offset, partition, topic, value and more.</summary>
    public static IReadOnlyList<SinkRecord> Parse(IEnumerable<string> events) =>
        events.Select(e => JsonSerializer.Deserialize(e, KafkaEventJsonContext.Default.KafkaEventJson)
                           ?? throw new InvalidDataException("an empty Kafka event"))
            .Select(e => new SinkRecord(e.Topic, e.Partition, e.Offset, Encoding.UTF8.GetBytes(e.Value ?? ""),
                Header(e, WineTelemetry.TraceParent), Header(e, BridgeDeadLetterArchive.ReasonsHeader)))
            .ToList();

    private static string? Header(KafkaEventJson e, string name) =>
        e.Headers?.LastOrDefault(h => h.Key == name)?.Value is { } value ? Encoding.UTF8.GetString(value) : null;
}

/// <summary>The fields of the Kafka extension's event JSON the sink needs; header values are base64, as the extension writes byte arrays.</summary>
public sealed record KafkaEventJson(long Offset, int Partition, string Topic, string? Value, IReadOnlyList<KafkaHeaderJson>? Headers = null);

public sealed record KafkaHeaderJson(string Key, byte[]? Value);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(KafkaEventJson))]
internal sealed partial class KafkaEventJsonContext : JsonSerializerContext;
