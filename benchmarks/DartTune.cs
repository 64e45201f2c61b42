using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using WineFunctions.Data;
using WineFunctions.Models;
using WineFunctions.Samples;
using WineFunctions.Training;

namespace WineFunctions.Benchmarks;

/// <summary>
/// LightGBM's DART booster (trees dropped at random while boosting, so later trees do not only mend
/// the first ones) in place of plain gradient boosting, the shipped shape otherwise, under the card's
/// nested protocol and cut points.
/// </summary>
internal static class DartTune
{
    public static void Run(IReadOnlyList<LabelledMeasurements> training)
    {
        var tuned = TrainerSettings.Tuned;
        NestedTune.PrintCutPointHeader();
        foreach (var (name, settings, drop) in new[]
        {
            ("DART, drop 0.1, L31, 200 it, lr 0.04", tuned, 0.1),
            ("DART, drop 0.1, L31, 200 it, lr 0.1", tuned with { LearningRate = 0.1 }, 0.1),
            ("DART, drop 0.05, L31, 400 it, lr 0.05", tuned with { Iterations = 400, LearningRate = 0.05 }, 0.05),
        })
        {
            NestedTune.PrintCutPointRow(training, name, settings.Iterations * 3, (rows, scored) => Fit(rows, scored, settings, drop));
        }
    }

    private static IReadOnlyList<float[]> Fit(IReadOnlyList<LabelledMeasurements> rows, IReadOnlyList<LabelledMeasurements> scored, TrainerSettings settings, double drop)
    {
        var ml = new MLContext(settings.Seed);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = ModelFeatures.Of(r.Colour, r.Values), Class = (uint)r.Class }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Class), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue,
            keyData: ml.Data.LoadFromEnumerable(QualityClasses.All.Select(c => new Key { Class = (uint)c })));
        var options = LightGbmKnobs.Apply(new LightGbmMulticlassTrainer.Options { Seed = settings.Seed }, settings);
        options.Booster = LightGbmKnobs.Booster(new DartBooster.Options { TreeDropFraction = drop }, settings);
        var model = keyed.Append(ml.MulticlassClassification.Trainers.LightGbm(options)).Fit(data);
        var features = ml.Data.LoadFromEnumerable(scored.Select(r => new Row { Features = ModelFeatures.Of(r.Colour, r.Values) }));
        return [.. ml.Data.CreateEnumerable<Prediction>(model.Transform(features), reuseRowObject: false).Select(p => p.Score)];
    }

    private sealed class Row
    {
        [VectorType(ModelFeatures.Count)] public float[] Features { get; set; } = [];
        public uint Class { get; set; }
    }

    private sealed class Key
    {
        public uint Class { get; set; }
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }
}
