using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using WineFunctions.Data;
using WineFunctions.Models;
using WineFunctions.Samples;
using WineFunctions.Training;

namespace WineFunctions.Benchmarks;

/// <summary>
/// Ordinal alternatives to the multiclass model under the card's nested protocol: a regression on the
/// score, Frank and Hall's two "above" models, and a blend. Each gives pseudo-probabilities whose
/// expected class (P(better) + 2 P(best)) the card's cut points are tuned on, as for the shipped model.
/// </summary>
internal static class OrdinalTune
{
    public static void Run(IReadOnlyList<LabelledMeasurements> training)
    {
        var tuned = TrainerSettings.Tuned;
        var candidates = new (string Name, FitAndPredict Fit)[]
        {
            ("regression on the score, Tuned shape", (rows, scored) => FromScore(Regression(rows, scored, tuned))),
            ("Frank & Hall, 2 binary, Tuned shape", (rows, scored) => FrankHall(rows, scored, tuned)),
            ("Frank & Hall, 2 binary, 400 it lr 0.02", (rows, scored) => FrankHall(rows, scored, tuned with { Iterations = 400, LearningRate = 0.02 })),
            ("blend: multiclass + regression", NestedTune.Averaged([NestedTune.Fit(tuned), (rows, scored) => FromScore(Regression(rows, scored, tuned))])),
        };
        Console.WriteLine("| candidate | cut points: macro mean ± sd | per repeat | s |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, fit) in candidates)
        {
            var clock = Stopwatch.StartNew();
            var repeats = NestedCrossValidation.Run(training, ModelTraining.Folds, fit, CancellationToken.None);
            var cut = RepeatedScore.Of(name, [.. repeats.Select(r => r.CutPoints)]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {cut.Mean:0.000} ± {cut.StandardDeviation:0.000} | {string.Join(" / ", cut.MacroAccuracy.Select(m => m.ToString("0.000", CultureInfo.InvariantCulture)))} | {clock.Elapsed.TotalSeconds:0} |"));
        }
    }

    private static IReadOnlyList<float> Regression(IReadOnlyList<LabelledMeasurements> rows, IReadOnlyList<LabelledMeasurements> scored, TrainerSettings settings)
    {
        var trainer = new WineModelTrainer(settings.Seed);
        return trainer.PredictScores(trainer.FitScoreModel(rows, settings), scored);
    }

    /// <summary>Pseudo-probabilities whose expected class (P(better) + 2 P(best)) is the predicted score above 5, in [0, 2].</summary>
    private static IReadOnlyList<float[]> FromScore(IReadOnlyList<float> scores) => [.. scores.Select(q =>
    {
        var s = Math.Clamp(q - 5f, 0f, 2f);
        return s <= 1 ? new[] { 1 - s, s, 0f } : [0f, 2 - s, s - 1];
    })];

    private static IReadOnlyList<float[]> FrankHall(IReadOnlyList<LabelledMeasurements> rows, IReadOnlyList<LabelledMeasurements> scored, TrainerSettings settings)
    {
        var ml = new MLContext(settings.Seed);
        var features = ml.Data.LoadFromEnumerable(scored.Select(r => new BinaryRow { Features = ModelFeatures.Of(r.Colour, r.Values) }));
        float[] Above(QualityClass threshold)
        {
            var data = ml.Data.LoadFromEnumerable(rows.Select(r => new BinaryRow { Features = ModelFeatures.Of(r.Colour, r.Values), Label = r.Class > threshold }));
            var model = ml.BinaryClassification.Trainers.LightGbm(LightGbmKnobs.Apply(new LightGbmBinaryTrainer.Options { Seed = settings.Seed }, settings)).Fit(data);
            return [.. ml.Data.CreateEnumerable<BinaryPrediction>(model.Transform(features), reuseRowObject: false).Select(p => p.Probability)];
        }
        var better = Above(QualityClass.Good);
        var best = Above(QualityClass.Better);
        return [.. better.Select((p1, i) =>
        {
            var p2 = Math.Min(best[i], p1);
            return new[] { 1 - p1, p1 - p2, p2 };
        })];
    }

    private sealed class BinaryRow
    {
        [VectorType(ModelFeatures.Count)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private sealed class BinaryPrediction
    {
        public float Probability { get; set; }
    }
}
