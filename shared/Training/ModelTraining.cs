using WineFunctions.Data;
using WineFunctions.Samples;
using WineFunctions.Models;

namespace WineFunctions.Training;

/// <summary>A fitted model, its cut points, its evaluation, and the held-out rows the promotion gate scores the champion on, with the class it decided for each.</summary>
public sealed record TrainedModel(TrainerSettings Settings, DecisionRule Decision, ModelEvaluation Evaluation, byte[] Model, byte[] Onnx,
    IReadOnlyList<LabelledMeasurements> HeldOutRows, IReadOnlyList<int> HeldOutDecided);

/// <summary>
/// One training run: hold out a fifth of the groups (or take the data set's own test set); tune
/// the cut points on grouped out-of-fold probabilities of the rest; evaluate the settings, ML.NET's
/// LightGbm defaults and the majority class by repeated nested grouped cross-validation on fold
/// seeds no tuning used; compare with Cortez et al. under their own protocol; fit the shipped model
/// on the whole training part, score it once on the held-out rows, and export it to ONNX.
/// </summary>
public static class ModelTraining
{
    public const int Folds = 5;

    public static TrainedModel Run(TrainingSet set, TrainingSet? heldOut, TrainerSettings settings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
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
        var classes = training.Select(r => r.Class).ToList();

        var folds = GroupedFolds.Assign(training, Folds, settings.Seed + 1);
        progress?.Report($"tuning the cut points on {Folds} grouped folds of {training.Count} rows");
        var decision = DecisionRule.Tune(classes, NestedCrossValidation.OutOfFold(training, folds, Folds, Fit(settings), cancellationToken));

        var seeds = NestedCrossValidation.FoldSeeds;
        progress?.Report($"cross-validating {settings.Trainer}: {seeds.Count} repeats of {Folds} grouped folds, cut points tuned on {NestedCrossValidation.InnerFolds} inner folds");
        var shipped = NestedCrossValidation.Run(training, Folds, Fit(settings), cancellationToken);
        progress?.Report("cross-validating ML.NET LightGbm defaults and the majority class on the same folds");
        var defaults = NestedCrossValidation.Run(training, Folds, Fit(TrainerSettings.LightGbmDefaults), cancellationToken);
        var majority = NestedCrossValidation.Run(training, Folds, Majority, cancellationToken);
        var repeated = new RepeatedCrossValidation(
            $"stratified {Folds}-fold over duplicate groups, {seeds.Count} repeats on fold seeds {string.Join(", ", seeds)} (never used for tuning); "
            + $"each outer fold's cut points tuned on {NestedCrossValidation.InnerFolds} inner folds of its training rows; macro accuracy pooled per repeat",
            seeds, Folds, NestedCrossValidation.InnerFolds,
            [
                RepeatedScore.Of($"{settings.Trainer}, cut points (ships)", [.. shipped.Select(r => r.CutPoints)], [.. shipped.SelectMany(r => r.FoldMacroAccuracy)]),
                RepeatedScore.Of($"{settings.Trainer}, most probable class", [.. shipped.Select(r => r.MostProbable)]),
                RepeatedScore.Of("ML.NET LightGbm defaults, cut points", [.. defaults.Select(r => r.CutPoints)], [.. defaults.SelectMany(r => r.FoldMacroAccuracy)]),
                RepeatedScore.Of("ML.NET LightGbm defaults, most probable class", [.. defaults.Select(r => r.MostProbable)]),
                RepeatedScore.Of("majority class", [.. majority.Select(r => r.MostProbable)]),
            ]);

        // The paper's figures are of the UCI rows: other data (a warehouse's own, the simulator's) has nothing to compare with.
        var paperColours = UciFingerprint.CompleteColours([.. set.Rows, .. heldOut?.Rows ?? []]);
        IReadOnlyList<ScoreTolerance> tolerance = [];
        CortezComparison? cortez = null;
        if (paperColours.Count > 0)
        {
            progress?.Report("the 0-10 score model: grouped folds, and Cortez et al.'s protocol per colour");
            tolerance = Tolerance(training, folds, settings, paperColours, cancellationToken);
            cortez = CortezProtocol.Run([.. set.Rows, .. heldOut?.Rows ?? []], paperColours, TrainerSettings.CortezScoreModel with { Seed = settings.Seed }, Folds, seeds, cancellationToken);
        }

        progress?.Report($"fitting the model on {training.Count} rows and scoring {testing.Count} held-out rows");
        cancellationToken.ThrowIfCancellationRequested();
        var trainer = new WineModelTrainer(settings.Seed);
        var model = trainer.FitClassModel(training, settings);
        var heldOutProbabilities = trainer.PredictClasses(model, testing);
        var heldOutMetrics = ClassificationMetrics.From([.. testing.Select(r => r.Class)], heldOutProbabilities, decision);
        var evaluation = new ModelEvaluation(
            $"held-out: {(heldOut is null ? "a fifth of the duplicate groups, stratified" : $"the data set's test set {heldOut.Source}")}, scored once with the cut points; "
            + $"cross-validation ({repeated.Protocol}): the first repeat below, all repeats in Repeated; identical rows never on both sides",
            set.Rows.Count + (heldOut?.Rows.Count ?? 0), GroupedFolds.DuplicateRows([.. set.Rows, .. heldOut?.Rows ?? []]),
            training.Count, testing.Count, Folds, heldOutMetrics, shipped[0].CutPoints, majority[0].MostProbable, defaults[0].CutPoints, tolerance, repeated, cortez);
        return new TrainedModel(settings, decision, evaluation, trainer.SaveModel(model), trainer.ExportOnnx(model), testing,
            [.. heldOutProbabilities.Select(p => decision.Decide(p))]);
    }

    private static FitAndPredict Fit(TrainerSettings settings) => (training, scored) =>
    {
        var trainer = new WineModelTrainer(settings.Seed);
        return trainer.PredictClasses(trainer.FitClassModel(training, settings), scored);
    };

    /// <summary>Always the commonest class of the training rows, with the class shares as probabilities.</summary>
    private static IReadOnlyList<float[]> Majority(IReadOnlyList<LabelledMeasurements> training, IReadOnlyList<LabelledMeasurements> scored)
    {
        var shares = QualityClasses.All.Select(c => (float)training.Count(r => r.Class == c) / Math.Max(1, training.Count)).ToArray();
        return [.. scored.Select(_ => shares)];
    }

    /// <summary>The score model's tolerance accuracies per colour under our grouped folds.</summary>
    private static IReadOnlyList<ScoreTolerance> Tolerance(IReadOnlyList<LabelledMeasurements> rows, int[] folds, TrainerSettings settings,
        IReadOnlySet<WineColour> colours, CancellationToken cancellationToken)
    {
        var predicted = CortezProtocol.OutOfFoldScores(rows, folds, Folds, TrainerSettings.ScoreModel with { Seed = settings.Seed }, cancellationToken);
        return
        [
            .. CortezProtocol.PaperSvm.Where(paper => colours.Contains(paper.Colour)).Select(paper =>
            {
                var of = Enumerable.Range(0, rows.Count).Where(i => rows[i].Colour == paper.Colour).ToList();
                var ofRows = of.Select(i => rows[i]).ToList();
                var ofPredicted = of.Select(i => predicted[i]).ToList();
                return new ScoreTolerance(paper.Colour.Name(), of.Count, CortezProtocol.Within(ofRows, ofPredicted, 0.5),
                    CortezProtocol.Within(ofRows, ofPredicted, 1.0), paper.WithinHalf, paper.WithinOne);
            }),
        ];
    }
}
