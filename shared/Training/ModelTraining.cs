using WineFunctions.Data;
using WineFunctions.Samples;
using WineFunctions.Models;

namespace WineFunctions.Training;

/// <summary>A fitted model, its evaluation, and the held-out rows the promotion gate scores the champion on.</summary>
public sealed record TrainedModel(TrainerSettings Settings, ModelEvaluation Evaluation, byte[] Model, byte[] Onnx,
    IReadOnlyList<LabelledMeasurements> HeldOutRows);

/// <summary>
/// One training run: hold out a fifth of the groups (or take the data set's own test set),
/// cross-validate the chosen settings, ML.NET's LightGbm defaults and the majority class on the
/// rest with the same grouped folds, fit the shipped model on the whole training part, score it on
/// the held-out rows, and export it to ONNX.
/// </summary>
public static class ModelTraining
{
    public const int Folds = 5;

    public static TrainedModel Run(TrainingSet set, TrainingSet? heldOut, TrainerSettings settings, IProgress<string>? progress = null)
    {
        var trainer = new WineModelTrainer(settings.Seed);
        IReadOnlyList<LabelledMeasurements> training, testing;
        if (heldOut is null)
        {
            var split = GroupedFolds.Assign(set.Rows, Folds, settings.Seed);
            training = [.. set.Rows.Where((_, i) => split[i] != 0)];
            testing = [.. set.Rows.Where((_, i) => split[i] == 0)];
        }
        else
        {
            training = set.Rows;
            testing = heldOut.Rows;
        }

        var folds = GroupedFolds.Assign(training, Folds, settings.Seed + 1);
        progress?.Report($"cross-validating {settings.Trainer} on {training.Count} rows, {Folds} grouped folds");
        var crossValidated = CrossValidate(training, folds, rows => trainer.FitClassModel(rows, settings), trainer);
        progress?.Report("cross-validating ML.NET LightGbm defaults and the majority class");
        var defaults = CrossValidate(training, folds, rows => trainer.FitClassModel(rows, TrainerSettings.LightGbmDefaults), trainer);
        var baseline = Majority(training, folds);
        progress?.Report("cross-validating the 0-10 score model for the paper's tolerance accuracies");
        var tolerance = Tolerance(training, folds, settings, trainer);

        progress?.Report($"fitting the model on {training.Count} rows and scoring {testing.Count} held-out rows");
        var model = trainer.FitClassModel(training, settings);
        var heldOutMetrics = ClassificationMetrics.From([.. testing.Select(r => r.Class)], trainer.PredictClasses(model, testing));
        var evaluation = new ModelEvaluation(
            $"held-out: {(heldOut is null ? "a fifth of the duplicate groups, stratified" : $"the data set's test set {heldOut.Source}")}; "
            + $"cross-validation: {Folds} stratified folds over duplicate groups on the rest; identical rows never on both sides",
            set.Rows.Count + (heldOut?.Rows.Count ?? 0), GroupedFolds.DuplicateRows([.. set.Rows, .. heldOut?.Rows ?? []]),
            training.Count, testing.Count, Folds, heldOutMetrics, crossValidated, baseline, defaults, tolerance);
        return new TrainedModel(settings, evaluation, trainer.SaveModel(model), trainer.ExportOnnx(model), testing);
    }

    private static ClassificationMetrics CrossValidate(IReadOnlyList<LabelledMeasurements> rows, int[] folds,
        Func<IReadOnlyList<LabelledMeasurements>, Microsoft.ML.ITransformer> fit, WineModelTrainer trainer)
    {
        var probabilities = new float[rows.Count][];
        for (var fold = 0; fold < Folds; fold++)
        {
            var model = fit([.. rows.Where((_, i) => folds[i] != fold)]);
            var test = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToList();
            var predicted = trainer.PredictClasses(model, [.. test.Select(i => rows[i])]);
            for (var n = 0; n < test.Count; n++)
            {
                probabilities[test[n]] = predicted[n];
            }
        }
        return ClassificationMetrics.From([.. rows.Select(r => r.Class)], probabilities);
    }

    /// <summary>Always the commonest class of the training folds, with the class shares as probabilities.</summary>
    private static ClassificationMetrics Majority(IReadOnlyList<LabelledMeasurements> rows, int[] folds)
    {
        var probabilities = new float[rows.Count][];
        for (var fold = 0; fold < Folds; fold++)
        {
            var train = rows.Where((_, i) => folds[i] != fold).ToList();
            var shares = QualityClasses.All.Select(c => (float)train.Count(r => r.Class == c) / Math.Max(1, train.Count)).ToArray();
            for (var i = 0; i < rows.Count; i++)
            {
                if (folds[i] == fold)
                {
                    probabilities[i] = shares;
                }
            }
        }
        return ClassificationMetrics.From([.. rows.Select(r => r.Class)], probabilities);
    }

    private static IReadOnlyList<ScoreTolerance> Tolerance(IReadOnlyList<LabelledMeasurements> rows, int[] folds, TrainerSettings settings, WineModelTrainer trainer)
    {
        var predicted = new float[rows.Count];
        for (var fold = 0; fold < Folds; fold++)
        {
            var model = trainer.FitScoreModel([.. rows.Where((_, i) => folds[i] != fold)], TrainerSettings.ScoreModel with { Seed = settings.Seed });
            var test = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToList();
            var scores = trainer.PredictScores(model, [.. test.Select(i => rows[i])]);
            for (var n = 0; n < test.Count; n++)
            {
                predicted[test[n]] = scores[n];
            }
        }
        return
        [
            .. new[] { (WineColour.Red, 0.624, 0.890), (WineColour.White, 0.646, 0.868) }.Select(paper =>
            {
                var of = Enumerable.Range(0, rows.Count).Where(i => rows[i].Colour == paper.Item1).ToList();
                double Within(double t) => of.Count == 0 ? 0 : (double)of.Count(i => Math.Abs(predicted[i] - rows[i].Quality) <= t) / of.Count;
                return new ScoreTolerance(paper.Item1.Name(), of.Count, Within(0.5), Within(1.0), paper.Item2, paper.Item3);
            }),
        ];
    }
}
