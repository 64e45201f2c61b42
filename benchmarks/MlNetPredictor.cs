using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using WineFunctions.Lake;
using WineFunctions.Prediction;
using WineFunctions.Registry;
using WineFunctions.Samples;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Benchmarks;

/// <summary>
/// The comparison the issue asks for: the same model in ML.NET's own format, scored one sample at a
/// time by a PredictionEngine, doing the predict function's work (checks, classes, predictions object).
/// </summary>
internal sealed class MlNetScorer
{
    private readonly PredictionEngine<FeatureRow, ScoreRow> _engine;

    public MlNetScorer(byte[] modelZip, int modelVersion, DecisionRule? decision)
    {
        var ml = new MLContext(1);
        using var stream = new MemoryStream(modelZip);
        Model = ml.Model.Load(stream, out _);
        Context = ml;
        _engine = ml.Model.CreatePredictionEngine<FeatureRow, ScoreRow>(Model);
        ModelVersion = modelVersion;
        Decision = decision;
    }

    public MLContext Context { get; }
    public ITransformer Model { get; }
    public int ModelVersion { get; }

    public DecisionRule? Decision { get; }

    public float[] Predict(FeatureRow row) => _engine.Predict(row).Score;

    /// <summary>What <see cref="RawObjectPredictor.Predict"/> does, with a PredictionEngine loop instead of one ONNX run.</summary>
    public IReadOnlyList<SamplePrediction> Predict(IReadOnlyList<WineSample> samples)
    {
        var predictions = new SamplePrediction[samples.Count];
        var row = new FeatureRow { Features = new float[ModelFeatures.Count] };
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var rejections = SampleValidator.CheckStored(sample);
            if (rejections.Count > 0)
            {
                predictions[i] = new(sample.SampleId, sample.BatchId, null, null, null, null, ModelVersion, string.Join("; ", rejections));
                continue;
            }
            ModelFeatures.Write(sample.Wine, sample.Measurements(), row.Features);
            var p = _engine.Predict(row).Score;
            predictions[i] = new(sample.SampleId, sample.BatchId, QualityClasses.All[Decision.ClassIndex(p)].Name(), p[0], p[1], p[2], ModelVersion, null);
        }
        return predictions;
    }

    /// <summary>ML.NET's batch path: Transform over a data view, every score read out.</summary>
    public int TransformAll(IReadOnlyList<float[]> features)
    {
        var view = Context.Data.LoadFromEnumerable(features.Select(f => new FeatureRow { Features = f }));
        var read = 0;
        foreach (var scored in Context.Data.CreateEnumerable<ScoreRow>(Model.Transform(view), reuseRowObject: true))
        {
            read += scored.Score.Length == 3 ? 1 : 0;
        }
        return read;
    }

    internal sealed class FeatureRow
    {
        [VectorType(ModelFeatures.Count)] public float[] Features { get; set; } = [];
    }

    internal sealed class ScoreRow
    {
        [VectorType(3)] public float[] Score { get; set; } = [];
    }
}

/// <summary>The predict function's object work on ML.NET: champion zip loaded on the first object, as ChampionModel loads the ONNX one.</summary>
internal sealed class MlNetRawObjectPredictor(IObjectStore lake) : IRawObjectPredictor
{
    private MlNetScorer? _scorer;

    public async Task<PredictionsWritten?> PredictObjectAsync(string rawSampleKey, CancellationToken cancellationToken)
    {
        var stored = await lake.GetAsync(rawSampleKey, cancellationToken);
        if (stored is null)
        {
            return null;
        }
        if (_scorer is null)
        {
            var registry = new ModelRegistry(lake);
            var champion = await registry.GetChampionAsync(cancellationToken) ?? throw new NoChampionException(lake.Location);
            var card = (await registry.GetCardAsync(champion.Version, cancellationToken))!;
            _scorer = new MlNetScorer(await registry.ReadArtifactAsync(card.ModelKey, cancellationToken), champion.Version, card.Decision);
        }
        var predictions = _scorer.Predict(await SampleParquet.ReadAsync(stored.Content, cancellationToken));
        var key = LakeLayout.PredictionsFor(rawSampleKey);
        await lake.PutAsync(key, await PredictionParquet.WriteAsync(predictions, cancellationToken), new Dictionary<string, string>
        {
            [ObjectMetadata.SampleCount] = predictions.Count.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);
        return new PredictionsWritten(rawSampleKey, key, predictions.Count, predictions.Count(p => p.Rejection is not null), _scorer.ModelVersion);
    }
}
