using System.Diagnostics.Metrics;
using WineFunctions.Samples;

namespace WineFunctions.Prediction;

/// <summary>Prediction totals for progress output.</summary>
public sealed record PredictCounts(long Objects, long Good, long Better, long Best, long Rejected, long Simulated, long MatchedSimulated, int? ModelVersion);

/// <summary>Prediction counters, on the <c>WineFunctions.Predict</c> meter for OpenTelemetry.</summary>
public sealed class PredictMetrics : IDisposable
{
    public const string MeterName = "WineFunctions.Predict";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _samples;
    private readonly ObservableGauge<double> _drift;
    private readonly MeasurementDrift _measurements = new();
    private long _objects, _good, _better, _best, _rejected, _simulated, _matched;
    private int? _version;

    public PredictMetrics()
    {
        _samples = _meter.CreateCounter<long>("wine.predict.samples", "{sample}",
            "Samples predicted, by class (or rejected), warehouse, colour and model version: the predicted-class mix an operator watches for drift");
        _drift = _meter.CreateObservableGauge("wine.predict.measurement.psi", _measurements.Observe, "1",
            $"Population stability index of each measurement's last {MeasurementDrift.Window} predicted samples per warehouse and colour against the champion's training set");
    }

    public PredictCounts Counts => new(Interlocked.Read(ref _objects), Interlocked.Read(ref _good), Interlocked.Read(ref _better),
        Interlocked.Read(ref _best), Interlocked.Read(ref _rejected), Interlocked.Read(ref _simulated), Interlocked.Read(ref _matched), _version);

    /// <param name="samples">The samples of <paramref name="predictions"/>, in the same order.</param>
    internal void Record(IReadOnlyList<SamplePrediction> predictions, IReadOnlyList<WineSample> samples, SampleClassifier classifier)
    {
        _version = classifier.ModelVersion;
        if (_drift.Enabled)
        {
            _measurements.Add(predictions, samples, classifier); // kept only while someone listens
        }
        Interlocked.Increment(ref _objects);
        for (var i = 0; i < predictions.Count; i++)
        {
            var predicted = predictions[i].PredictedClass;
            _samples.Add(1, new KeyValuePair<string, object?>("class", predicted ?? "rejected"),
                new KeyValuePair<string, object?>("warehouse", samples[i].WarehouseId), new KeyValuePair<string, object?>("colour", samples[i].Wine.Name()),
                new KeyValuePair<string, object?>("wine.model.version", classifier.ModelVersion));
            switch (predicted)
            {
                case "good": Interlocked.Increment(ref _good); break;
                case "better": Interlocked.Increment(ref _better); break;
                case "best": Interlocked.Increment(ref _best); break;
                default: Interlocked.Increment(ref _rejected); break;
            }
            if (predicted is not null && samples[i].SimulatedClass?.Name() is { } simulated)
            {
                Interlocked.Increment(ref _simulated);
                if (simulated == predicted)
                {
                    Interlocked.Increment(ref _matched);
                }
            }
        }
    }

    public void Dispose() => _meter.Dispose();
}
