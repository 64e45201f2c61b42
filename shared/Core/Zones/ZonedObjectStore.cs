using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Lake;

namespace WineFunctions.Zones;

/// <summary>
/// The lake as seen from a function in a trust zone: every object written carries the writer's
/// <c>zone</c> and its <c>classification</c>; a write into a lake whose home zone is another, and a
/// read of an object written in another zone, each append a <see cref="ZoneCrossing"/> under
/// <c>audit/</c>. Wraps any store, so no function's logic changes. Bookkeeping under <c>_state/</c>
/// and the audit records themselves are not data and are not audited. An audit record that cannot be
/// written fails the operation (the caller retries), so no crossing goes unrecorded.
/// </summary>
public sealed class ZonedObjectStore(IObjectStore inner, ZoneSettings zone, string lakeZone, string function, TimeProvider time, ILogger? logger = null)
    : IObjectStore
{
    public const string MeterName = "WineFunctions.Zones";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Crossings = Meter.CreateCounter<long>("wine.zone.crossings", "{crossing}", "Lake objects that crossed from one trust zone to another");
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string Location => inner.Location;

    public IObjectStore Inner => inner;

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var stamped = Stamp(key, metadata);
        await inner.PutAsync(key, content, stamped, cancellationToken);
        await AfterWriteAsync(key, stamped, cancellationToken);
    }

    public async Task<bool> CreateAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var stamped = Stamp(key, metadata);
        if (!await inner.CreateAsync(key, content, stamped, cancellationToken))
        {
            return false;
        }
        await AfterWriteAsync(key, stamped, cancellationToken);
        return true;
    }

    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var stored = await inner.GetAsync(key, cancellationToken);
        if (stored is not null && Audited(key))
        {
            // Objects from before zones existed were written where the lake is.
            var from = stored.Metadata.GetValueOrDefault(ObjectMetadata.Zone) ?? lakeZone;
            if (from != zone.Name)
            {
                var classification = stored.Metadata.GetValueOrDefault(ObjectMetadata.Classification) ?? DataClassification.Of(key);
                await RecordAsync(new ZoneCrossing(key, from, zone.Name, classification, function, CrossingDirection.Read, time.GetUtcNow()), cancellationToken);
            }
        }
        return stored;
    }

    public IAsyncEnumerable<ObjectEntry> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

    private Dictionary<string, string> Stamp(string key, IReadOnlyDictionary<string, string> metadata)
    {
        var stamped = metadata.ToDictionary();
        stamped[ObjectMetadata.Zone] = zone.Name;
        stamped.TryAdd(ObjectMetadata.Classification, DataClassification.Of(key));
        return stamped;
    }

    private Task AfterWriteAsync(string key, IReadOnlyDictionary<string, string> stamped, CancellationToken cancellationToken) =>
        Audited(key) && lakeZone != zone.Name
            ? RecordAsync(new ZoneCrossing(key, zone.Name, lakeZone, stamped[ObjectMetadata.Classification], function, CrossingDirection.Write, time.GetUtcNow()), cancellationToken)
            : Task.CompletedTask;

    private static bool Audited(string key) =>
        !key.StartsWith(LakeLayout.Audit, StringComparison.Ordinal) && !key.StartsWith("_state/", StringComparison.Ordinal);

    private async Task RecordAsync(ZoneCrossing crossing, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>
        {
            [ObjectMetadata.Zone] = zone.Name,
            [ObjectMetadata.Classification] = DataClassification.Internal,
        };
        // A fresh id names every record, written create-only (If-None-Match: the lake's policy refuses any
        // other write under audit/), so no record is ever replaced; it needs no read permission on audit/.
        var key = ZoneCrossing.Key(crossing.At, Guid.NewGuid());
        if (!await inner.CreateAsync(key, crossing.ToJson(), metadata, cancellationToken))
        {
            throw new IOException($"the audit record {key} already exists");
        }
        Crossings.Add(1, new("from", crossing.FromZone), new("to", crossing.ToZone), new("direction", crossing.Direction.ToString()));
        _logger.LogInformation("Zone crossing: {Function} {Direction} {Object} ({Classification}) from zone {FromZone} to zone {ToZone}",
            function, crossing.Direction, crossing.Object, crossing.Classification, crossing.FromZone, crossing.ToZone);
    }
}
