using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using WineFunctions.Data;
using WineFunctions.Samples;
using WineFunctions.Models;

namespace WineFunctions.Training;

/// <summary>ML.NET fitting: the class model that ships and the score model used only for comparison with the paper.</summary>
public sealed class WineModelTrainer(int seed = 1)
{
    private readonly MLContext _ml = new(seed);

    /// <summary>The class model; <paramref name="adjust"/> sets LightGBM options the settings do not name, last (the tune benchmark's variants).</summary>
    public ITransformer FitClassModel(IReadOnlyList<LabelledMeasurements> rows, TrainerSettings settings, Action<LightGbmMulticlassTrainer.Options>? adjust = null)
    {
        var counts = QualityClasses.All.ToDictionary(c => c, c => Math.Max(1, rows.Count(r => r.Class == c)));
        var data = _ml.Data.LoadFromEnumerable(rows.Select(r => new ClassRow
        {
            Features = ModelFeatures.Of(r.Colour, r.Values),
            Class = (uint)r.Class,
            Weight = settings.BalancedClassWeights ? (float)rows.Count / (3f * counts[r.Class]) : 1f,
        }));
        var options = settings.MlNetDefaults
            ? new LightGbmMulticlassTrainer.Options { NumberOfThreads = 1, Seed = settings.Seed }
            : LightGbmKnobs.Apply(new LightGbmMulticlassTrainer.Options { ExampleWeightColumnName = nameof(ClassRow.Weight), Seed = settings.Seed }, settings);
        adjust?.Invoke(options);
        // The class becomes a key outside the model, so the model (and its ONNX export) needs only the features.
        var keyed = _ml.Transforms.Conversion.MapValueToKey("Label", nameof(ClassRow.Class), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue,
            keyData: _ml.Data.LoadFromEnumerable(QualityClasses.All.Select(c => new ClassKey { Class = (uint)c }))).Fit(data).Transform(data);
        return _ml.MulticlassClassification.Trainers.LightGbm(options).Fit(keyed);
    }

    /// <summary>A regression on the 0-10 score (<see cref="TrainerSettings.ScoreModel"/>), for the tolerance accuracies Cortez et al. report.</summary>
    public ITransformer FitScoreModel(IReadOnlyList<LabelledMeasurements> rows, TrainerSettings settings) =>
        _ml.Regression.Trainers.LightGbm(LightGbmKnobs.Apply(new LightGbmRegressionTrainer.Options { Seed = settings.Seed }, settings)).Fit(_ml.Data.LoadFromEnumerable(rows.Select(r => new ScoreRow { Features = ModelFeatures.Of(r.Colour, r.Values), Label = r.Quality })));

    public IReadOnlyList<float[]> PredictClasses(ITransformer model, IReadOnlyList<LabelledMeasurements> rows) =>
        _ml.Data.CreateEnumerable<ClassPrediction>(model.Transform(Features(rows)), reuseRowObject: false).Select(p => p.Score).ToList();

    public IReadOnlyList<float> PredictScores(ITransformer model, IReadOnlyList<LabelledMeasurements> rows) =>
        _ml.Data.CreateEnumerable<ScorePrediction>(model.Transform(Features(rows)), reuseRowObject: false).Select(p => p.Score).ToList();

    /// <summary>The model in ML.NET's own format, for retraining and inspection.</summary>
    public byte[] SaveModel(ITransformer model)
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(model, Features([]).Schema, stream);
        return stream.ToArray();
    }

    public ITransformer LoadModel(byte[] model)
    {
        using var stream = new MemoryStream(model);
        return _ml.Model.Load(stream, out _);
    }

    /// <summary>The model as ONNX: what prediction loads, with one input <c>Features</c> [N,12] and the class probabilities in <c>Score.output</c> [N,3].</summary>
    public byte[] ExportOnnx(ITransformer model)
    {
        using var stream = new MemoryStream();
        _ml.Model.ConvertToOnnx(model, Features([]), stream);
        return stream.ToArray();
    }

    private IDataView Features(IReadOnlyList<LabelledMeasurements> rows) =>
        _ml.Data.LoadFromEnumerable(rows.Select(r => new FeatureRow { Features = ModelFeatures.Of(r.Colour, r.Values) }));

    private sealed class FeatureRow
    {
        [VectorType(ModelFeatures.Count)] public float[] Features { get; set; } = [];
    }

    private sealed class ClassRow
    {
        [VectorType(ModelFeatures.Count)] public float[] Features { get; set; } = [];
        public uint Class { get; set; }
        public float Weight { get; set; }
    }

    private sealed class ClassKey
    {
        public uint Class { get; set; }
    }

    private sealed class ScoreRow
    {
        [VectorType(ModelFeatures.Count)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private sealed class ClassPrediction
    {
        [VectorType(3)] public float[] Score { get; set; } = [];
    }

    private sealed class ScorePrediction
    {
        public float Score { get; set; }
    }
}
