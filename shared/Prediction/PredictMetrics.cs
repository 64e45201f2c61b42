using System.Diagnostics.Metrics;

namespace WineFunctions.Prediction;

/// <summary>Prediction totals for progress output.</summary>
public sealed record PredictCounts(long Objects, long Good, long Better, long Best, long Rejected, long Simulated, long MatchedSimulated, int? ModelVersion);

/// <summary>Prediction counters, on the <c>WineFunctions.Predict</c> meter for OpenTelemetry.</summary>
public sealed class PredictMetrics : IDisposable
{
    public const string MeterName = "WineFunctions.Predict";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _samples;
    private long _objects, _good, _better, _best, _rejected, _simulated, _matched;
    private int? _version;

    public PredictMetrics()
    {
        _samples = _meter.CreateCounter<long>("wine.predict.samples", "{sample}", "Samples predicted, by class (or rejected)");
    }

    public PredictCounts Counts => new(Interlocked.Read(ref _objects), Interlocked.Read(ref _good), Interlocked.Read(ref _better),
        Interlocked.Read(ref _best), Interlocked.Read(ref _rejected), Interlocked.Read(ref _simulated), Interlocked.Read(ref _matched), _version);

    internal void Record(IReadOnlyList<SamplePrediction> predictions, IReadOnlyList<string?> simulatedClasses, int modelVersion)
    {
        _version = modelVersion;
        Interlocked.Increment(ref _objects);
        for (var i = 0; i < predictions.Count; i++)
        {
            var predicted = predictions[i].PredictedClass;
            _samples.Add(1, new KeyValuePair<string, object?>("class", predicted ?? "rejected"));
            switch (predicted)
            {
                case "good": Interlocked.Increment(ref _good); break;
                case "better": Interlocked.Increment(ref _better); break;
                case "best": Interlocked.Increment(ref _best); break;
                default: Interlocked.Increment(ref _rejected); break;
            }
            if (predicted is not null && simulatedClasses[i] is { } simulated)
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
