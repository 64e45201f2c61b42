using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using WineFunctions.Kafka;
using WineFunctions.Lake;
using WineFunctions.Samples;

namespace WineFunctions.Sink;

/// <summary>What a replay did.</summary>
public sealed record ReplayCounts(int Objects, int Records, int Kept);

/// <summary>
/// <c>wine sink replay</c>: the sink's dead-lettered records whose run failed to store (not those
/// refused for what they are) go back on the samples topic, keyed by batch like the bridge's, so the
/// sink takes them again exactly as it takes any record. Once Kafka has every record of an object,
/// the object moves to <c>dead-letters/sink-replayed/</c>; records refused for what they are stay.
/// </summary>
public sealed class DeadLetterReplay(IObjectStore lake, TimeProvider time, ILogger<DeadLetterReplay> logger)
{
    public const string Sink = LakeLayout.DeadLetters + "sink/";
    public const string Replayed = LakeLayout.DeadLetters + "sink-replayed/";

    public async Task<ReplayCounts> RunAsync(string bootstrapServers, string topic, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        _ = LibRdKafka.Library;
        using var producer = new ProducerBuilder<byte[]?, byte[]>(SampleProducerConfig.Create(bootstrapServers, settings)).Build();
        var (objects, records, kept) = (0, 0, 0);
        // Listed first: the replay rewrites and removes objects under the prefix it reads.
        var keys = new List<string>();
        await foreach (var entry in lake.ListAsync(Sink, cancellationToken))
        {
            keys.Add(entry.Key);
        }
        foreach (var key in keys)
        {
            if (await lake.GetAsync(key, cancellationToken) is not { } stored)
            {
                continue;
            }
            var letters = Encoding.UTF8.GetString(stored.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize(line, SinkJsonContext.Default.SinkDeadLetter)!).ToList();
            var replay = letters.Where(l => l.Reason.StartsWith(SinkDeadLetter.RunNotStored, StringComparison.Ordinal)).ToList();
            if (replay.Count == 0)
            {
                kept += letters.Count;
                continue;
            }
            foreach (var letter in replay)
            {
                var value = Encoding.UTF8.GetBytes(letter.Value);
                var batch = SampleValidator.Validate(value, time.GetUtcNow()).Sample?.BatchId;
                await producer.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = batch is null ? null : Encoding.UTF8.GetBytes(batch), Value = value }, cancellationToken);
            }
            // Kafka has them all (acks=all): keep a record of the replay, then take them out of the dead letters.
            var rest = letters.Except(replay).ToList();
            await lake.PutAsync(Replayed + key[Sink.Length..], Lines(replay), new Dictionary<string, string>(), cancellationToken);
            if (rest.Count > 0)
            {
                await lake.PutAsync(key, Lines(rest), new Dictionary<string, string>(), cancellationToken);
            }
            else
            {
                await lake.DeleteAsync(key, cancellationToken);
            }
            logger.LogInformation("Replayed {Records} records of {Key} onto {Topic}", replay.Count, key, topic);
            (objects, records, kept) = (objects + 1, records + replay.Count, kept + rest.Count);
        }
        return new ReplayCounts(objects, records, kept);
    }

    private static byte[] Lines(IEnumerable<SinkDeadLetter> letters) =>
        Encoding.UTF8.GetBytes(string.Concat(letters.Select(l => JsonSerializer.Serialize(l, SinkJsonContext.Default.SinkDeadLetter) + "\n")));
}
