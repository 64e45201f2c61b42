using System.Globalization;
using System.Text;
using System.Text.Json;
using WineFunctions.Lake;
using WineFunctions.Sink;
using WineFunctions.Telemetry;
using WineFunctions.Zones;

namespace WineFunctions.Explore;

/// <summary>One step of a sample's journey, as the lake's own records show it.</summary>
/// <param name="At">When, where the records say: the scan time, an object's write time, a crossing's time.</param>
public sealed record JourneyHop(DateTimeOffset? At, string Step, string Where, string Detail);

/// <summary>A sample's journey: every hop in time order, and the trace its raw object continues.</summary>
public sealed record SampleJourney(string SampleId, string BatchId, IReadOnlyList<JourneyHop> Hops, string? TraceParent);

/// <summary>
/// <c>wine trace</c>: where a sample (or each sample of a batch) went, from the lake's own records and
/// no tracing backend: its scan (the sample's fields), the raw object the sink wrote it into (with
/// the Kafka offsets and the trace context in its metadata), its prediction, a bridge or sink dead letter that
/// holds it, and the trust-zone crossings the audit recorded for those objects.
/// </summary>
public static class SampleJourneys
{
    public static async Task<IReadOnlyList<SampleJourney>> FindAsync(ExploreSession session, IObjectStore lake, string? sampleId, string? batchId,
        CancellationToken cancellationToken)
    {
        var filter = sampleId is not null ? $"sampleId = {LakeViews.Literal(sampleId)}" : $"batchId = {LakeViews.Literal(batchId!)}";
        var rows = await session.QueryAsync($"""
            SELECT sampleId, batchId, warehouseId, deviceId, takenAt, {LakeViews.ObjectKey}, predictedClass, modelVersion, rejection
            FROM {LakeViews.SamplePredictions} WHERE {filter} ORDER BY takenAt, sampleId
            """, int.MaxValue, cancellationToken);
        var deadLetters = await DeadLettersAsync(lake, sampleId ?? batchId!, cancellationToken);
        var stored = rows.Rows.Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        var journeys = new List<SampleJourney>();
        foreach (var row in rows.Rows)
        {
            journeys.Add(await StoredJourneyAsync(lake, row, deadLetters, cancellationToken));
        }
        // A sample the bridge or the sink refused has no row; its dead letter is all the lake holds of it.
        foreach (var (id, letters) in deadLetters.Where(d => !stored.Contains(d.Key)))
        {
            journeys.Add(new SampleJourney(id, FieldIn(letters[0].Letter.Value, "batchId") ?? "?", [.. letters.Select(d => DeadLettered(d.Key, d.At, d.Letter))], null));
        }
        return await WithCrossingsAsync(lake, journeys, cancellationToken);
    }

    /// <summary>Each journey with the trust-zone crossings the audit recorded for its objects, all in time order.</summary>
    private static async Task<IReadOnlyList<SampleJourney>> WithCrossingsAsync(IObjectStore lake, List<SampleJourney> journeys, CancellationToken cancellationToken)
    {
        var times = journeys.SelectMany(j => j.Hops).Select(h => h.At).OfType<DateTimeOffset>().ToList();
        if (times.Count == 0)
        {
            return journeys;
        }
        // An object crosses as it is written: the audit from an hour before the first hop (clock skew) to an hour after the last.
        var crossings = await CrossingsAsync(lake, times.Min().AddHours(-1), times.Max().AddHours(1), cancellationToken);
        return [.. journeys.Select(j => j with { Hops = Ordered([.. j.Hops, .. j.Hops.Select(h => h.Where).Distinct().SelectMany(key => crossings[key])]) })];
    }

    private static async Task<SampleJourney> StoredJourneyAsync(IObjectStore lake, object?[] row,
        IReadOnlyDictionary<string, List<(string Key, DateTimeOffset At, SinkDeadLetter Letter)>> deadLetters, CancellationToken cancellationToken)
    {
        var (sampleId, batchId, warehouse, device) = ((string)row[0]!, (string)row[1]!, (string)row[2]!, (string)row[3]!);
        var takenAt = new DateTimeOffset((DateTime)row[4]!, TimeSpan.Zero);
        var rawKey = (string)row[5]!;
        var hops = new List<JourneyHop> { new(takenAt, "scanned", $"device {device}, warehouse {warehouse}", $"batch {batchId}") };
        foreach (var (key, at, letter) in deadLetters.GetValueOrDefault(sampleId) ?? [])
        {
            hops.Add(DeadLettered(key, at, letter));
        }
        var raw = await lake.GetAsync(rawKey, cancellationToken);
        var rawAt = await WrittenAtAsync(lake, rawKey, cancellationToken);
        var metadata = raw?.Metadata ?? new Dictionary<string, string>();
        hops.Add(new JourneyHop(rawAt, "stored by the sink", rawKey,
            $"Kafka {metadata.GetValueOrDefault(ObjectMetadata.Source, "?")} offsets {metadata.GetValueOrDefault(ObjectMetadata.FirstOffset, "?")}-{metadata.GetValueOrDefault(ObjectMetadata.LastOffset, "?")}, {metadata.GetValueOrDefault(ObjectMetadata.SampleCount, "?")} samples"));
        var predictionsKey = LakeLayout.PredictionsFor(rawKey);
        var predictedAt = await WrittenAtAsync(lake, predictionsKey, cancellationToken);
        hops.Add(predictedAt is null
            ? new JourneyHop(null, "not predicted yet", predictionsKey, "no predictions object: no champion yet, or predict has not run")
            : new JourneyHop(predictedAt, "predicted", predictionsKey, row[6] is string predicted
                ? $"{predicted} by model version {Convert.ToInt32(row[7], CultureInfo.InvariantCulture)}"
                : $"rejected: {row[8]}"));
        return new SampleJourney(sampleId, batchId, hops, metadata.GetValueOrDefault(WineTelemetry.TraceParent));
    }

    private static JourneyHop DeadLettered(string key, DateTimeOffset at, SinkDeadLetter letter) =>
        new(at, key.StartsWith(LakeLayout.BridgeDeadLetters, StringComparison.Ordinal) ? "dead-lettered by the bridge" : "dead-lettered by the sink", key,
            $"Kafka {letter.Topic}/{letter.Partition} offset {letter.Offset}: {letter.Reason}");

    /// <summary>The hops in time order; one without a time (not happened yet) last.</summary>
    private static List<JourneyHop> Ordered(List<JourneyHop> hops) => [.. hops.OrderBy(h => h.At ?? DateTimeOffset.MaxValue)];

    /// <summary>The bridge's and the sink's dead letters that hold <paramref name="needle"/> (a sample id, or a batch id), by the sample id in them.</summary>
    private static async Task<Dictionary<string, List<(string Key, DateTimeOffset At, SinkDeadLetter Letter)>>> DeadLettersAsync(
        IObjectStore lake, string needle, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, List<(string, DateTimeOffset, SinkDeadLetter)>>(StringComparer.Ordinal);
        await foreach (var entry in lake.ListAsync(LakeLayout.DeadLetters, cancellationToken))
        {
            if (await lake.GetAsync(entry.Key, cancellationToken) is not { } stored)
            {
                continue;
            }
            foreach (var line in Encoding.UTF8.GetString(stored.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!line.Contains(needle, StringComparison.Ordinal) || JsonSerializer.Deserialize(line, SinkJsonContext.Default.SinkDeadLetter) is not { } letter)
                {
                    continue;
                }
                var id = FieldIn(letter.Value, "sampleId") ?? needle;
                if (!found.TryGetValue(id, out var letters))
                {
                    found[id] = letters = [];
                }
                letters.Add((entry.Key, entry.LastModified, letter));
            }
        }
        return found;
    }

    /// <summary>A string field of a dead letter's record, if it is JSON that has one (it may be anything a device sent).</summary>
    private static string? FieldIn(string value, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(value);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var field) && field.ValueKind == JsonValueKind.String
                ? field.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<DateTimeOffset?> WrittenAtAsync(IObjectStore lake, string key, CancellationToken cancellationToken)
    {
        await foreach (var entry in lake.ListAsync(key, cancellationToken))
        {
            if (entry.Key == key)
            {
                return entry.LastModified;
            }
        }
        return null;
    }

    /// <summary>The audit's trust-zone crossings in a time range, by the object that crossed.</summary>
    private static async Task<ILookup<string, JourneyHop>> CrossingsAsync(IObjectStore lake, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var hops = new List<(string Key, JourneyHop Hop)>();
        await foreach (var crossing in ZoneAudit.CrossingsAsync(lake, from, to, cancellationToken))
        {
            hops.Add((crossing.Object, new JourneyHop(crossing.At, "crossed trust zones", $"{crossing.FromZone} -> {crossing.ToZone}",
                $"{crossing.Function} {crossing.Direction.ToString().ToLowerInvariant()} {crossing.Classification} {crossing.Object}")));
        }
        return hops.ToLookup(h => h.Key, h => h.Hop, StringComparer.Ordinal);
    }
}
