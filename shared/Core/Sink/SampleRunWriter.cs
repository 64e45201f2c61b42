using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Samples;
using WineFunctions.Telemetry;

namespace WineFunctions.Sink;

/// <summary>What writing one run of records produced.</summary>
/// <param name="SampleIds">Every valid sample id of the run in offset order, for the duplicate window.</param>
public sealed record RunResult(int Samples, int Duplicates, int DeadLetters, IReadOnlyList<string> Objects, IReadOnlyList<string> SampleIds);

/// <summary>
/// Writes a run of consecutive records of one partition into the lake: samples grouped by the UTC
/// date and hour they were taken, one object per group named by the offset of its first record,
/// records that are not valid samples into one dead-letter object with the reason. The same run
/// always produces the same objects, so writing it again after a crash replaces, never adds.
/// </summary>
public sealed class SampleRunWriter(IObjectStore store, SampleFormat format, ILogger logger)
{
    public async Task<RunResult> WriteAsync(IReadOnlyList<SinkRecord> run, RecentSampleIds recent, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<long, (long First, List<(SinkRecord Record, WineSample Sample)> Members)>();
        var deadLetters = new List<SinkDeadLetter>();
        var seen = new HashSet<string>(run.Count, StringComparer.Ordinal);
        var duplicates = 0;
        var sampleIds = new List<string>(run.Count);
        foreach (var record in run)
        {
            // The bridge checked the clock; a rewritten run must come out the same whenever it is written.
            var validation = SampleValidator.ValidateStored(record.Value);
            if (validation.Sample is not { } sample)
            {
                deadLetters.Add(new SinkDeadLetter(record.Topic, record.Partition, record.Offset,
                    string.Join("; ", validation.Rejections), Encoding.UTF8.GetString(record.Value)));
                continue;
            }
            sampleIds.Add(sample.SampleId);
            if (recent.Contains(sample.SampleId) || !seen.Add(sample.SampleId))
            {
                duplicates++;
                continue;
            }
            var hour = sample.TakenAt.UtcTicks / TimeSpan.TicksPerHour;
            if (!groups.TryGetValue(hour, out var group))
            {
                groups[hour] = group = (record.Offset, []);
            }
            group.Members.Add((record, sample));
        }

        var objects = new List<string>();
        foreach (var (first, members) in groups.Values.OrderBy(g => g.First))
        {
            var key = LakeLayout.RawSampleObject(members[0].Sample.TakenAt, run[0].Topic, run[0].Partition, first, format);
            var metadata = new Dictionary<string, string>
            {
                [ObjectMetadata.SampleCount] = members.Count.ToString(CultureInfo.InvariantCulture),
                [ObjectMetadata.FirstOffset] = first.ToString(CultureInfo.InvariantCulture),
                [ObjectMetadata.LastOffset] = members[^1].Record.Offset.ToString(CultureInfo.InvariantCulture),
                [ObjectMetadata.SchemaVersion] = members.Max(m => m.Sample.Schema).ToString(CultureInfo.InvariantCulture),
                [ObjectMetadata.Format] = format == SampleFormat.Parquet ? "parquet" : "jsonl",
                [ObjectMetadata.Source] = $"{run[0].Topic}/{run[0].Partition}",
            };
            using var process = StartProcess(key, members);
            if (WineTelemetry.TraceParentOf(process) is { } traceParent)
            {
                metadata[WineTelemetry.TraceParent] = traceParent; // predict continues the trace from here
            }
            var samples = members.Select(m => m.Sample).ToList();
            var content = format == SampleFormat.Parquet
                ? await SampleParquet.WriteAsync(samples, metadata, cancellationToken)
                : SampleJsonLines.Write(samples);
            await store.PutAsync(key, content, metadata, cancellationToken);
            objects.Add(key);
        }

        if (deadLetters.Count > 0)
        {
            var key = LakeLayout.SinkDeadLetters(run[0].Topic, run[0].Partition, run[0].Offset);
            var lines = string.Concat(deadLetters.Select(d => JsonSerializer.Serialize(d, SinkJsonContext.Default.SinkDeadLetter) + "\n"));
            await store.PutAsync(key, Encoding.UTF8.GetBytes(lines), new Dictionary<string, string>
            {
                [ObjectMetadata.SampleCount] = deadLetters.Count.ToString(CultureInfo.InvariantCulture),
            }, cancellationToken);
            logger.LogWarning("{Count} records of {Topic}/{Partition} are not valid samples; see {Key}", deadLetters.Count, run[0].Topic, run[0].Partition, key);
            objects.Add(key);
        }
        return new RunResult(groups.Values.Sum(g => g.Members.Count), duplicates, deadLetters.Count, objects, sampleIds);
    }

    /// <summary>
    /// The span of writing one raw object (OpenTelemetry's messaging conventions for a batch): a new
    /// trace, linked to each sample's own, since one object gathers many samples' journeys.
    /// </summary>
    private static Activity? StartProcess(string key, IReadOnlyList<(SinkRecord Record, WineSample Sample)> members)
    {
        if (!WineTelemetry.Sink.HasListeners())
        {
            return null; // no tracing: no links parsed, no tags made
        }
        var records = members.Select(m => m.Record).ToList();
        var links = records.Select(r => WineTelemetry.Parse(r.TraceParent)).Where(c => c != default).ToList();
        var process = WineTelemetry.Sink.StartActivity($"process {records[0].Topic}", ActivityKind.Consumer, parentContext: default,
            tags:
            [
                new("messaging.system", "kafka"), new("messaging.operation.type", "process"), new("messaging.destination.name", records[0].Topic),
                new("messaging.destination.partition.id", records[0].Partition.ToString(CultureInfo.InvariantCulture)),
                new("messaging.batch.message_count", records.Count), new("wine.lake.object", key),
                new("wine.links_dropped", Math.Max(0, links.Count - WineTelemetry.MaxLinks)),
            ],
            links: links.Take(WineTelemetry.MaxLinks).Select(c => new ActivityLink(c)));
        return process;
    }
}
