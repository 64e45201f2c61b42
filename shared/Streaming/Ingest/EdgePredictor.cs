using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Prediction;
using WineFunctions.Registry;
using WineFunctions.Samples;

namespace WineFunctions.Ingest;

/// <summary>Kafka header names of the edge prediction on a sample record (docs/bridge.md).</summary>
public static class PredictionHeaders
{
    public const string PredictedClass = "wine-predicted-class";
    public const string ModelVersion = "wine-model-version";
    public const string ProbabilityGood = "wine-probability-good";
    public const string ProbabilityBetter = "wine-probability-better";
    public const string ProbabilityBest = "wine-probability-best";
}

/// <summary>
/// The edge option: the champion's prediction for each sample on its way into Kafka, as record
/// headers. The champion is read from the registry by <see cref="RefreshAsync"/> in the background,
/// never on a sample's path, so a slow or unreachable registry cannot delay a sample. Until a
/// champion has been loaded, samples go on without a prediction; once loaded, it stays in use while
/// the registry is unreachable, and is swapped when a promotion is seen.
/// </summary>
public sealed class EdgePredictor : IDisposable
{
    private readonly IObjectStore _lake;
    private readonly ChampionModel _champion;
    private readonly TimeSpan _checkInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BridgeMetrics _metrics;
    private volatile SampleClassifier? _current;
    private bool _toldNoChampion;

    public EdgePredictor(IObjectStore lake, TimeSpan checkInterval, TimeProvider time, ILogger logger, BridgeMetrics metrics)
    {
        _lake = lake;
        _checkInterval = checkInterval;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        // The refresh loop sets the pace, so the cache reads the alias on every call.
        _champion = new ChampionModel(new ModelRegistry(lake), lake.Location, new PredictSettings { ChampionCheckInterval = TimeSpan.Zero }, time, logger);
    }

    /// <summary>The model version attached to samples now; null while there is no champion.</summary>
    public int? ModelVersion => _current?.ModelVersion;

    /// <summary>Reads the champion alias now and every check interval until <paramref name="stopping"/>.</summary>
    public async Task RefreshAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await RefreshOnceAsync(stopping);
                await Task.Delay(_checkInterval, _time, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshOnceAsync(CancellationToken stopping)
    {
        try
        {
            _current = await _champion.CurrentAsync(stopping);
        }
        catch (NoChampionException e)
        {
            if (!_toldNoChampion)
            {
                _logger.LogInformation("Edge prediction: {Reason}; samples go on without a prediction until then", e.Message);
                _toldNoChampion = true;
            }
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            if (_current is { } current)
            {
                _logger.LogWarning(e, "Edge prediction: cannot read the champion from {Lake}; still predicting with model version {ModelVersion}", _lake.Location, current.ModelVersion);
            }
            else
            {
                _logger.LogWarning(e, "Edge prediction: cannot read the champion from {Lake}; samples go on without a prediction", _lake.Location);
            }
        }
    }

    /// <summary>The prediction headers for a valid sample; none (counted) when there is no champion or scoring fails.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> HeadersFor(WineSample sample)
    {
        if (_current is not { } classifier)
        {
            _metrics.Unpredicted("no_champion");
            return [];
        }
        try
        {
            var prediction = RawObjectPredictor.Predict(classifier, [sample])[0];
            if (prediction.PredictedClass is not { } predicted)
            {
                _metrics.Unpredicted("rejected");
                return [];
            }
            _metrics.Predicted();
            return
            [
                Header(PredictionHeaders.PredictedClass, predicted),
                Header(PredictionHeaders.ModelVersion, prediction.ModelVersion.ToString(CultureInfo.InvariantCulture)),
                Header(PredictionHeaders.ProbabilityGood, prediction.ProbabilityGood!.Value.ToString("R", CultureInfo.InvariantCulture)),
                Header(PredictionHeaders.ProbabilityBetter, prediction.ProbabilityBetter!.Value.ToString("R", CultureInfo.InvariantCulture)),
                Header(PredictionHeaders.ProbabilityBest, prediction.ProbabilityBest!.Value.ToString("R", CultureInfo.InvariantCulture)),
            ];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The model must never cost a sample: it goes on without a prediction.
            _logger.LogWarning(e, "Edge prediction failed for sample {SampleId}; forwarded without a prediction", sample.SampleId);
            _metrics.Unpredicted("error");
            return [];
        }
    }

    private static KeyValuePair<string, byte[]> Header(string name, string value) => new(name, Encoding.UTF8.GetBytes(value));

    public void Dispose()
    {
        _champion.Dispose();
        (_lake as IDisposable)?.Dispose();
    }
}
