using WineFunctions.Data;
using WineFunctions.Prediction;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using Xunit.Abstractions;
using WineFunctions.Models;

namespace WineFunctions.Tests.Training;

public sealed class UciTrainingTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void The_UCI_data_trains_well_past_the_majority_baseline_and_ONNX_scores_equal_MLNET()
    {
        var rows = UciWineQuality.ReadFolder(TestData.WineQualityFolder());
        var trained = ModelTraining.Run(new TrainingSet("uci", rows), null, TrainerSettings.Tuned, null, CancellationToken.None);
        var evaluation = trained.Evaluation;
        output.WriteLine($"held-out macro {evaluation.HeldOut.MacroAccuracy:0.000}, cv macro {evaluation.CrossValidated.MacroAccuracy:0.000}, "
            + $"defaults {evaluation.LightGbmDefaults.MacroAccuracy:0.000}, baseline {evaluation.MajorityBaseline.MacroAccuracy:0.000}");

        Assert.Equal(6497, evaluation.Rows);
        Assert.True(evaluation.DuplicateRows > 1000, $"{evaluation.DuplicateRows} duplicate rows");
        Assert.InRange(evaluation.MajorityBaseline.MacroAccuracy, 0.33, 0.34);
        Assert.True(evaluation.HeldOut.MacroAccuracy > evaluation.MajorityBaseline.MacroAccuracy + 0.2);
        Assert.True(evaluation.CrossValidated.MacroAccuracy > evaluation.MajorityBaseline.MacroAccuracy + 0.2);
        Assert.Equal(["red", "white"], evaluation.Tolerance.Select(t => t.Colour));
        Assert.All(evaluation.Tolerance, t => Assert.True(t.WithinOne > t.WithinHalf && t.WithinHalf > 0.4));

        // Our protocol: three repeats on fold seeds no tuning used, the shipped model first, every baseline beside it.
        var repeated = evaluation.Repeated!;
        Assert.Equal([101, 102, 103], repeated.FoldSeeds);
        Assert.All(repeated.Models, m => Assert.Equal(3, m.MacroAccuracy.Count));
        var (shipped, mostProbable, majority) = (repeated.Models[0], repeated.Models[1], repeated.Models[^1]);
        output.WriteLine($"repeated: {string.Join("; ", repeated.Models.Select(m => $"{m.Model} {m.Mean:0.000} ± {m.StandardDeviation:0.000}"))}");
        Assert.True(shipped.Mean > majority.Mean + 0.2);
        // Each single fold's figure too (3 repeats x 5 folds), as a fold-by-fold audit reports it.
        Assert.Equal(15, shipped.PerFold!.Count);
        Assert.InRange(shipped.PerFold.Average(), shipped.Mean - 0.02, shipped.Mean + 0.02);
        output.WriteLine($"per fold: {shipped.PerFold.Average():0.000} ± {RepeatedScore.StandardDeviationOf(shipped.PerFold):0.000}");
        Assert.Equal(shipped.Mean, evaluation.Headline.CrossValidatedMacroAccuracy);
        // The cut points are what make an unweighted model balanced: without them the rare best class loses.
        Assert.True(shipped.Mean > mostProbable.Mean + 0.01, $"cut points {shipped.Mean:0.000}, most probable {mostProbable.Mean:0.000}");
        Assert.InRange(trained.Decision.LowerCut, 0.3, trained.Decision.UpperCut);
        Assert.InRange(trained.Decision.UpperCut, trained.Decision.LowerCut, 1.7);

        // The paper's protocol, per colour: red and white, each against the paper's SVM.
        var cortez = evaluation.Cortez!;
        Assert.Equal(["red", "white"], cortez.Colours.Select(c => c.Colour));
        Assert.Equal([1599, 4898], cortez.Colours.Select(c => c.Rows));
        output.WriteLine($"Cortez protocol: {string.Join("; ", cortez.Colours.Select(c => $"{c.Colour} {c.WithinHalf:0.000} / {c.WithinOne:0.000} (SVM {c.PaperSvmWithinHalf} / {c.PaperSvmWithinOne})"))}");
        Assert.All(cortez.Colours, c => Assert.True(c.WithinOne > c.WithinHalf && c.WithinHalf > 0.5));

        // The shipped ONNX file must score exactly like the ML.NET model it was exported from.
        var trainer = new WineModelTrainer();
        var model = trainer.FitClassModel([.. rows.Take(2000)], TrainerSettings.Tuned);
        var mlnet = trainer.PredictClasses(model, [.. rows.Skip(6000)]);
        var onnx = new SampleClassifier(trainer.ExportOnnx(model), 1, null);
        var scored = onnx.PredictRows([.. rows.Skip(6000)]);
        Assert.Equal(500 - 3, scored.Count);
        for (var i = 0; i < scored.Count; i++)
        {
            Assert.Equal(ClassificationMetrics.ArgMax(mlnet[i]), ClassificationMetrics.ArgMax(scored[i]));
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(mlnet[i][k], scored[i][k], 1e-5);
            }
        }
    }

    [SkippableFact]
    public void Identical_rows_never_fall_on_both_sides_of_a_split()
    {
        var rows = UciWineQuality.ReadFolder(TestData.WineQualityFolder());
        var folds = GroupedFolds.Assign(rows, 5, seed: 7);
        var foldsPerGroup = rows.Select((r, i) => (Key: GroupedFolds.GroupKey(r), Fold: folds[i]))
            .GroupBy(x => x.Key).Select(g => g.Select(x => x.Fold).Distinct().Count()).ToList();
        Assert.True(foldsPerGroup.Count < rows.Count - 1000, "the UCI data holds over a thousand duplicates");
        Assert.All(foldsPerGroup, count => Assert.Equal(1, count));

        // Stratified: each fold holds about a fifth of each class.
        foreach (var quality in rows.Select(r => r.Class).Distinct())
        {
            var total = rows.Count(r => r.Class == quality);
            for (var fold = 0; fold < 5; fold++)
            {
                Assert.InRange(rows.Where((r, i) => folds[i] == fold && r.Class == quality).Count(), total / 5 - total / 25, total / 5 + total / 25);
            }
        }
    }
}
