using System.Diagnostics.Metrics;

namespace WineFunctions.Ingest;

/// <summary>The bridge's counters, on the <c>WineFunctions.Ingest</c> meter for OpenTelemetry.</summary>
public sealed class BridgeMetrics : IDisposable
{
    public const string MeterName = "WineFunctions.Ingest";
    private readonly Meter _meter;
    private readonly Counter<long> _received, _forwarded, _deadLettered, _buffered, _redelivered, _predicted, _unpredicted, _producersReplaced;
    private long _receivedTotal, _forwardedTotal, _deadLetteredTotal, _bufferedTotal, _redeliveredTotal, _predictedTotal, _unpredictedTotal, _producersReplacedTotal;

    public BridgeMetrics(IMeterFactory? meters = null, Func<long>? bufferedNow = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _received = _meter.CreateCounter<long>("wine.bridge.received", "{message}", "MQTT messages received");
        _forwarded = _meter.CreateCounter<long>("wine.bridge.forwarded", "{sample}", "Samples Kafka confirmed");
        _deadLettered = _meter.CreateCounter<long>("wine.bridge.dead_lettered", "{message}", "Messages Kafka confirmed on the dead-letter topic");
        _buffered = _meter.CreateCounter<long>("wine.bridge.buffered", "{message}", "Records written to the disk buffer");
        _redelivered = _meter.CreateCounter<long>("wine.bridge.redelivered", "{message}", "MQTT messages the broker sent again");
        _predicted = _meter.CreateCounter<long>("wine.bridge.predicted", "{sample}", "Samples given the champion's prediction at the edge");
        _unpredicted = _meter.CreateCounter<long>("wine.bridge.unpredicted", "{sample}", "Samples forwarded without a prediction while edge prediction is on, by reason");
        _producersReplaced = _meter.CreateCounter<long>("wine.bridge.producers_replaced", "{producer}", "Kafka producers replaced after a fatal error");
        if (bufferedNow is not null)
        {
            _meter.CreateObservableGauge("wine.bridge.buffer.records", bufferedNow, "{record}", "Records waiting in the disk buffer");
        }
    }

    public BridgeCounts Counts => new(Interlocked.Read(ref _receivedTotal), Interlocked.Read(ref _forwardedTotal),
        Interlocked.Read(ref _deadLetteredTotal), Interlocked.Read(ref _bufferedTotal), Interlocked.Read(ref _redeliveredTotal),
        Interlocked.Read(ref _predictedTotal), Interlocked.Read(ref _unpredictedTotal), Interlocked.Read(ref _producersReplacedTotal));

    internal void Received(bool redelivered)
    {
        Add(_received, ref _receivedTotal);
        if (redelivered)
        {
            Add(_redelivered, ref _redeliveredTotal);
        }
    }

    internal void Delivered(bool deadLetter) => Add(deadLetter ? _deadLettered : _forwarded, ref deadLetter ? ref _deadLetteredTotal : ref _forwardedTotal);

    internal void Buffered() => Add(_buffered, ref _bufferedTotal);

    internal void ProducerReplaced() => Add(_producersReplaced, ref _producersReplacedTotal);

    internal void Predicted() => Add(_predicted, ref _predictedTotal);

    internal void Unpredicted(string reason)
    {
        _unpredicted.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Interlocked.Increment(ref _unpredictedTotal);
    }

    private static void Add(Counter<long> counter, ref long total)
    {
        counter.Add(1);
        Interlocked.Increment(ref total);
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>Totals since the bridge started.</summary>
public sealed record BridgeCounts(long Received, long Forwarded, long DeadLettered, long Buffered, long Redelivered, long Predicted, long Unpredicted, long ProducersReplaced);
