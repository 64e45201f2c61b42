using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Registry;
using WineFunctions.Samples;
using WineFunctions.Models;
using WineFunctions.Telemetry;

namespace WineFunctions.Prediction;

/// <summary>
/// Scores a raw sample object with the champion and writes its predictions object next to it
/// under <c>predictions/</c>, named after the source, so a duplicate or retried event rewrites the
/// same object. The same code runs in the Lambda, in the local stack and behind <c>wine predict</c>.
/// </summary>
public sealed class RawObjectPredictor(IObjectStore lake, ChampionModel champion, PredictMetrics metrics, ILogger<RawObjectPredictor> logger) : IRawObjectPredictor
{
    public static RawObjectPredictor Create(IObjectStore lake, PredictSettings settings, TimeProvider time, ILoggerFactory loggers, PredictMetrics? metrics = null) =>
        new(lake, new ChampionModel(new ModelRegistry(lake), lake.Location, settings, time, loggers.CreateLogger<ChampionModel>()),
            metrics ?? new PredictMetrics(), loggers.CreateLogger<RawObjectPredictor>());

    public ChampionModel Champion => champion;

    public async Task<PredictionsWritten?> PredictObjectAsync(string rawSampleKey, CancellationToken cancellationToken)
    {
        var predictionsKey = LakeLayout.PredictionsFor(rawSampleKey);
        var stored = await lake.GetAsync(rawSampleKey, cancellationToken);
        if (stored is null)
        {
            logger.LogWarning("Raw sample object {Key} no longer exists; skipped", rawSampleKey);
            return null;
        }
        // The sink's span that wrote the object is the parent: its metadata carries the context.
        using var activity = WineTelemetry.Predict.StartActivity("predict", ActivityKind.Server,
            WineTelemetry.Parse(stored.Metadata.GetValueOrDefault(WineTelemetry.TraceParent)),
            [
                new("faas.trigger", "datasource"), new("faas.document.collection", lake.Location), new("faas.document.operation", "insert"),
                new("faas.document.name", rawSampleKey), new("wine.lake.object", predictionsKey),
            ]);
        try
        {
            return await PredictStoredAsync(stored, predictionsKey, activity, cancellationToken);
        }
        catch (Exception e)
        {
            // No champion yet, say: the object is predicted again later, in a span of its own.
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private async Task<PredictionsWritten> PredictStoredAsync(StoredObject stored, string predictionsKey, Activity? activity, CancellationToken cancellationToken)
    {
        var rawSampleKey = stored.Key;
        var samples = await ReadSamplesAsync(rawSampleKey, stored.Content, cancellationToken);
        var classifier = await champion.CurrentAsync(cancellationToken);
        activity?.SetTag("wine.model.version", classifier.ModelVersion);
        var predictions = Predict(classifier, samples);
        var metadata = new Dictionary<string, string>
        {
            [ObjectMetadata.SampleCount] = predictions.Count.ToString(CultureInfo.InvariantCulture),
            [ObjectMetadata.Source] = rawSampleKey,
            [ObjectMetadata.Format] = "parquet",
            ["model_version"] = classifier.ModelVersion.ToString(CultureInfo.InvariantCulture),
        };
        if (WineTelemetry.TraceParentOf(activity) is { } traceParent)
        {
            metadata[WineTelemetry.TraceParent] = traceParent;
        }
        await lake.PutAsync(predictionsKey, await PredictionParquet.WriteAsync(predictions, cancellationToken), metadata, cancellationToken);
        metrics.Record(predictions, samples, classifier);
        var rejected = predictions.Count(p => p.Rejection is not null);
        logger.LogInformation("Predicted {Samples} samples of {Key} with model version {Version} ({Rejected} rejected) into {Predictions}",
            predictions.Count, rawSampleKey, classifier.ModelVersion, rejected, predictionsKey);
        return new PredictionsWritten(rawSampleKey, predictionsKey, predictions.Count, rejected, classifier.ModelVersion);
    }

    /// <summary>Classes for samples; a sample with impossible values gets its reasons instead of a class.</summary>
    public static IReadOnlyList<SamplePrediction> Predict(SampleClassifier classifier, IReadOnlyList<WineSample> samples)
    {
        var rejections = samples.Select(s => SampleValidator.CheckStored(s)).ToList();
        var valid = Enumerable.Range(0, samples.Count).Where(i => rejections[i].Count == 0).ToList();
        var features = new float[valid.Count * ModelFeatures.Count];
        for (var n = 0; n < valid.Count; n++)
        {
            var sample = samples[valid[n]];
            ModelFeatures.Write(sample.Wine, sample.Measurements(), features.AsSpan(n * ModelFeatures.Count, ModelFeatures.Count));
        }
        var probabilities = classifier.Predict(features, valid.Count);
        var predictions = new SamplePrediction[samples.Count];
        for (var n = 0; n < valid.Count; n++)
        {
            var sample = samples[valid[n]];
            var p = probabilities.AsSpan(n * 3, 3);
            predictions[valid[n]] = new(sample.SampleId, sample.BatchId, classifier.Classify(p).Name(), p[0], p[1], p[2], classifier.ModelVersion, null);
        }
        for (var i = 0; i < samples.Count; i++)
        {
            predictions[i] ??= new(samples[i].SampleId, samples[i].BatchId, null, null, null, null, classifier.ModelVersion, string.Join("; ", rejections[i]));
        }
        return predictions;
    }

    private static async Task<IReadOnlyList<WineSample>> ReadSamplesAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            return key.EndsWith(".jsonl", StringComparison.Ordinal) ? SampleJsonLines.Read(content) : await SampleParquet.ReadAsync(content, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataException($"{key} is not a readable raw sample object ({e.GetType().Name}: {e.Message})", e);
        }
    }
}
