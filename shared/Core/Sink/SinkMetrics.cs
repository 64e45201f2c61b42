using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace WineFunctions.Sink;

/// <summary>Totals since the sink started.</summary>
public sealed record SinkCounts(long Samples, long Objects, long Duplicates, long DeadLetters, long Commits, long BufferedRecords, long BufferedBytes, long PeakBufferedBytes, int Partitions);

/// <summary>The sink's counters, on the <c>WineFunctions.Sink</c> meter for OpenTelemetry, whichever host drives it.</summary>
public sealed class SinkMetrics : IDisposable
{
    public const string MeterName = "WineFunctions.Sink";
    private readonly Meter _meter;
    private readonly Counter<long> _samples, _objects, _duplicates, _deadLetters, _lakeUnavailable;
    private readonly Histogram<double> _flush;
    private readonly ConcurrentDictionary<int, long> _lag = new();
    private int _partitions;
    private long _samplesTotal, _objectsTotal, _duplicatesTotal, _deadLettersTotal, _commits, _bufferedRecords, _bufferedBytes, _peakBufferedBytes;

    public SinkMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _samples = _meter.CreateCounter<long>("wine.sink.samples", "{sample}", "Samples stored in the lake");
        _objects = _meter.CreateCounter<long>("wine.sink.objects", "{object}", "Objects written");
        _duplicates = _meter.CreateCounter<long>("wine.sink.duplicates", "{sample}", "Upstream duplicates dropped");
        _deadLetters = _meter.CreateCounter<long>("wine.sink.dead_letters", "{record}", "Records written to the dead-letter prefix");
        _lakeUnavailable = _meter.CreateCounter<long>("wine.sink.lake_unavailable", "{wait}", "Waits for a lake that did not take a run, partitions paused");
        _meter.CreateObservableGauge("wine.sink.buffered.bytes", () => Interlocked.Read(ref _bufferedBytes), "By", "Bytes waiting in partition buffers");
        _flush = _meter.CreateHistogram<double>("wine.sink.flush.duration", "s", "Time to store one run of a partition in the lake (its objects, or its dead letters)");
        _meter.CreateObservableGauge("wine.sink.consumer.lag", ObserveLag, "{record}",
            "Records of an owned partition not yet stored: the newest offset the broker has, less the first one not in the lake");
    }

    public SinkCounts Counts => new(Interlocked.Read(ref _samplesTotal), Interlocked.Read(ref _objectsTotal), Interlocked.Read(ref _duplicatesTotal),
        Interlocked.Read(ref _deadLettersTotal), Interlocked.Read(ref _commits), Interlocked.Read(ref _bufferedRecords),
        Interlocked.Read(ref _bufferedBytes), Interlocked.Read(ref _peakBufferedBytes), Volatile.Read(ref _partitions));

    public void Stored(RunResult result, TimeSpan took)
    {
        _flush.Record(took.TotalSeconds);
        _samples.Add(result.Samples);
        _objects.Add(result.Objects.Count);
        _duplicates.Add(result.Duplicates);
        _deadLetters.Add(result.DeadLetters);
        Interlocked.Add(ref _samplesTotal, result.Samples);
        Interlocked.Add(ref _objectsTotal, result.Objects.Count);
        Interlocked.Add(ref _duplicatesTotal, result.Duplicates);
        Interlocked.Add(ref _deadLettersTotal, result.DeadLetters);
    }

    /// <summary>The lag of each partition owned now; partitions not named are no longer owned.</summary>
    public void Lag(IReadOnlyDictionary<int, long> lagByPartition)
    {
        foreach (var gone in _lag.Keys.Except(lagByPartition.Keys))
        {
            _lag.TryRemove(gone, out _);
        }
        foreach (var (partition, lag) in lagByPartition)
        {
            _lag[partition] = lag;
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag() =>
        [.. _lag.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("messaging.destination.partition.id", p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))))];

    public void LakeUnavailable() => _lakeUnavailable.Add(1);

    public void Committed() => Interlocked.Increment(ref _commits);

    /// <summary>How many partitions this sink owns now.</summary>
    public void Owns(int partitions) => Volatile.Write(ref _partitions, partitions);

    public void Buffered(long records, long bytes)
    {
        Interlocked.Exchange(ref _bufferedRecords, records);
        Interlocked.Exchange(ref _bufferedBytes, bytes);
        if (bytes > Interlocked.Read(ref _peakBufferedBytes))
        {
            Interlocked.Exchange(ref _peakBufferedBytes, bytes);
        }
    }

    public void Dispose() => _meter.Dispose();
}
