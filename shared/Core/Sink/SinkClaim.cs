using System.Text.Json;
using System.Text.Json.Serialization;
using WineFunctions.Lake;

namespace WineFunctions.Sink;

/// <summary>
/// A claim on the run of offsets [Start, End] of a partition, created in the lake (create-if-absent)
/// before the run's objects are written. Whoever writes a run from Start — the same sink after a
/// retry, the next owner after a crash or rebalance, or a stalled sink that wakes up — finds the
/// claim and cuts exactly the same run, so every writer produces the same objects and no writer
/// can shrink an object another has stored.
/// </summary>
public sealed record SinkClaim(long Start, long End)
{
    public static async Task<SinkClaim?> ReadAsync(IObjectStore store, string topic, int partition, long start, CancellationToken cancellationToken) =>
        await store.GetAsync(LakeLayout.SinkClaim(topic, partition, start), cancellationToken) is { } stored
            ? JsonSerializer.Deserialize(stored.Content, SinkJsonContext.Default.SinkClaim)
            : null;

    /// <summary>This claim, or the one another writer made first.</summary>
    public async Task<SinkClaim> ClaimAsync(IObjectStore store, string topic, int partition, CancellationToken cancellationToken)
    {
        var created = await store.CreateAsync(LakeLayout.SinkClaim(topic, partition, Start),
            JsonSerializer.SerializeToUtf8Bytes(this, SinkJsonContext.Default.SinkClaim), new Dictionary<string, string>(), cancellationToken);
        return created ? this : await ReadAsync(store, topic, partition, Start, cancellationToken) ?? this;
    }

    /// <summary>Claims on runs before <paramref name="start"/> are done with once a later run is committed.</summary>
    public static async Task ForgetBeforeAsync(IObjectStore store, string topic, int partition, long start, CancellationToken cancellationToken)
    {
        var old = await store.ListAsync(LakeLayout.SinkClaims(topic, partition), cancellationToken)
            .Where(e => e.Key.CompareTo(LakeLayout.SinkClaim(topic, partition, start)) < 0)
            .ToListAsync(cancellationToken);
        foreach (var entry in old)
        {
            await store.DeleteAsync(entry.Key, cancellationToken);
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SinkClaim))]
[JsonSerializable(typeof(SinkDeadLetter))]
public sealed partial class SinkJsonContext : JsonSerializerContext;

/// <summary>One line of a sink dead-letter object: the record, where it was, and why it is not in the lake as a sample.</summary>
public sealed record SinkDeadLetter(string Topic, int Partition, long Offset, string Reason, string Value)
{
    /// <summary>The reason's start for a record whose whole run failed to store (not the record's own fault): <c>wine sink replay</c> sends those back.</summary>
    public const string RunNotStored = "the run could not be stored";
}
