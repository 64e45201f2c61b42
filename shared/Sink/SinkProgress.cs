using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Lake;

namespace WineFunctions.Sink;

/// <summary>
/// The run of offsets the sink is about to write for a partition, noted in the lake before the
/// objects. If the sink dies before committing, whoever owns the partition next starts at the
/// same offset, finds this note and cuts exactly the same run, so it rewrites the same objects
/// with the same contents: the lake never holds a record twice.
/// </summary>
public sealed record SinkProgress(long Start, long End)
{
    public static async Task<SinkProgress?> ReadAsync(IObjectStore store, string topic, int partition, CancellationToken cancellationToken) =>
        await store.GetAsync(LakeLayout.SinkProgress(topic, partition), cancellationToken) is { } stored
            ? JsonSerializer.Deserialize(stored.Content, SinkJsonContext.Default.SinkProgress)
            : null;

    public Task WriteAsync(IObjectStore store, string topic, int partition, CancellationToken cancellationToken) =>
        store.PutAsync(LakeLayout.SinkProgress(topic, partition), JsonSerializer.SerializeToUtf8Bytes(this, SinkJsonContext.Default.SinkProgress),
            new Dictionary<string, string>(), cancellationToken);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SinkProgress))]
[JsonSerializable(typeof(SinkDeadLetter))]
internal sealed partial class SinkJsonContext : JsonSerializerContext;

/// <summary>One line of a sink dead-letter object: the record, where it was, and why it is not in the lake as a sample.</summary>
public sealed record SinkDeadLetter(string Topic, int Partition, long Offset, string Reason, string Value);
