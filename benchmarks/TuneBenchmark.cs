using System.Diagnostics;
using System.Globalization;
using WineFunctions.Data;
using WineFunctions.Samples;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Benchmarks;

/// <summary>
/// Trainer choice with evidence. Class candidates are scored by grouped stratified 5-fold CV on the
/// part of the UCI data that <see cref="ModelTraining"/> trains on (its held-out fifth is never
/// looked at here, so the held-out figure of `wine train` stays honest). Score candidates (for
/// Cortez et al.'s tolerance accuracies) are scored on all rows, with grouped folds and, to compare
/// with the paper's protocol, plain random stratified folds.
/// </summary>
internal static class TuneBenchmark
{
    private const int Folds = ModelTraining.Folds;

    public static int Run(string set, int random, int seed, int foldSeed, string? dataFolder)
    {
        var folder = dataFolder ?? ReferenceData.FindWineQualityFolder(Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException($"UCI data not found: set {ReferenceData.EnvironmentVariable} or pass --data");
        var rows = UciWineQuality.ReadFolder(folder);
        // The same split as ModelTraining.Run with the shipped seed.
        var split = GroupedFolds.Assign(rows, Folds, TrainerSettings.Tuned.Seed);
        var training = rows.Where((_, i) => split[i] != 0).ToList();
        var folds = GroupedFolds.Assign(training, Folds, foldSeed);
        Console.WriteLine($"{rows.Count} rows, {GroupedFolds.DuplicateRows(rows)} duplicates; tuning on {training.Count} rows (held-out fifth untouched), "
            + $"{Folds} grouped stratified folds, fold seed {foldSeed}");

        switch (set)
        {
            case "tolerance":
                Tolerance(rows, seed);
                break;
            case "random":
                Classes(training, folds, RandomCandidates(random, seed));
                break;
            case "confirm":
                foreach (var other in new[] { foldSeed, foldSeed + 1, foldSeed + 2 })
                {
                    Console.WriteLine($"fold seed {other}");
                    Classes(training, GroupedFolds.Assign(training, Folds, other), ConfirmCandidates());
                }
                break;
            case "nested":
                NestedTune.Classes(training, NestedTune.Candidates(leaders: false), NestedCrossValidation.InnerFolds);
                break;
            case "ordinal":
                OrdinalTune.Run(training);
                break;
            case "variants":
                NestedTune.Variants(training);
                break;
            case "nested-random":
                NestedTune.RandomSearch(training, random, seed);
                break;
            case "repeats":
                NestedTune.Repeats(training);
                break;
            case "dart":
                DartTune.Run(training);
                break;
            case "knobs":
                KnobTune.Run(training);
                break;
            case "cut-points":
                CutPointTune.Run(training);
                break;
            case "bagged":
                NestedTune.Bagged(training);
                break;
            case "nested-inner":
                NestedTune.Classes(training, NestedTune.Candidates(leaders: true), 5);
                break;
            case "cortez":
                NestedTune.Cortez(rows, NestedTune.ScoreCandidates());
                break;
            case "shipped":
                Shipped(training, folds);
                break;
            default:
                Classes(training, folds, FixedCandidates());
                break;
        }
        return 0;
    }

    /// <summary>Hand-picked comparisons: the shipped settings, each knob moved alone, FastTree, features, per-colour.</summary>
    private static IEnumerable<Candidate> FixedCandidates()
    {
        var current = new Candidate();
        yield return current;
        yield return current with { Weights = ClassWeighting.None };
        yield return current with { Weights = ClassWeighting.SqrtBalanced };
        yield return current with { Features = FeatureSet.Sulfur };
        yield return current with { Features = FeatureSet.Chemistry };
        yield return current with { PerColour = true };
        yield return current with { Leaves = 15 };
        yield return current with { Leaves = 63 };
        yield return current with { Iterations = 600 };
        yield return current with { Iterations = 150 };
        yield return current with { LearningRate = 0.02, Iterations = 750 };
        yield return current with { MinimumRowsPerLeaf = 3 };
        yield return current with { MinimumRowsPerLeaf = 30 };
        yield return current with { FeatureFraction = 0.5 };
        yield return current with { RowSubsample = 1.0 };
        yield return current with { L2 = 1 };
        yield return current with { Learner = Learner.FastTreeOneVersusAll };
        yield return current with { Learner = Learner.FastTreeOneVersusAll, Iterations = 600, Leaves = 63 };
    }

    /// <summary>The best of the fixed and random sets, and the shipped settings, again on other folds: a lead within fold noise is no lead.</summary>
    private static IEnumerable<Candidate> ConfirmCandidates()
    {
        yield return new Candidate();
        yield return new Candidate(Leaves: 31, Iterations: 400, LearningRate: 0.02, MinimumRowsPerLeaf: 5, FeatureFraction: 0.9, RowSubsample: 0.6, L2: 1, Features: FeatureSet.Chemistry);
        yield return new Candidate(Leaves: 31, Iterations: 400, LearningRate: 0.02, MinimumRowsPerLeaf: 5, FeatureFraction: 0.9, RowSubsample: 0.6, L2: 1);
        yield return new Candidate(Leaves: 15, Iterations: 150, L2: 1);
        yield return new Candidate(Leaves: 15, Iterations: 150, L2: 1, Features: FeatureSet.Chemistry);
        yield return new Candidate(Leaves: 63, Iterations: 100, LearningRate: 0.02, MinimumRowsPerLeaf: 2, FeatureFraction: 0.5, RowSubsample: 0.6, L2: 1);
        yield return new Candidate(Leaves: 7, Iterations: 200, LearningRate: 0.1, MinimumRowsPerLeaf: 20, FeatureFraction: 0.7);
        yield return new Candidate(Leaves: 15, Iterations: 150, L2: 1, Weights: ClassWeighting.SqrtBalanced);
    }

    private static IEnumerable<Candidate> RandomCandidates(int count, int seed)
    {
        var random = new Random(seed);
        T Pick<T>(params T[] values) => values[random.Next(values.Length)];
        for (var n = 0; n < count; n++)
        {
            yield return new Candidate(
                Learner: Pick(Learner.LightGbm, Learner.LightGbm, Learner.LightGbm, Learner.FastTreeOneVersusAll),
                Leaves: Pick(7, 15, 31, 63, 127),
                Iterations: Pick(100, 200, 400, 800),
                LearningRate: Pick(0.02, 0.05, 0.1),
                MinimumRowsPerLeaf: Pick(2, 5, 10, 20, 40),
                FeatureFraction: Pick(0.5, 0.7, 0.9, 1.0),
                RowSubsample: Pick(0.6, 0.8, 1.0),
                Weights: Pick(ClassWeighting.None, ClassWeighting.SqrtBalanced, ClassWeighting.Balanced),
                Features: Pick(FeatureSet.Base, FeatureSet.Sulfur, FeatureSet.Chemistry),
                PerColour: Pick(false, false, true),
                L2: Pick(0.0, 1.0, 10.0));
        }
    }

    private static void Classes(IReadOnlyList<LabelledMeasurements> rows, int[] folds, IEnumerable<Candidate> candidates)
    {
        Console.WriteLine("| candidate | CV macro | CV micro | log-loss | fit s (fold) |");
        Console.WriteLine("|---|---|---|---|---|");
        var truth = rows.Select(r => r.Class).ToList();
        var trainer = new TuneTrainer(1);
        foreach (var candidate in candidates)
        {
            var probabilities = new float[rows.Count][];
            var fit = TimeSpan.Zero;
            for (var fold = 0; fold < Folds; fold++)
            {
                var test = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToList();
                var predicted = trainer.FitPredict(candidate, [.. rows.Where((_, i) => folds[i] != fold)], [.. test.Select(i => rows[i])], out var took);
                fit += took;
                for (var n = 0; n < test.Count; n++)
                {
                    probabilities[test[n]] = predicted[n];
                }
            }
            var m = ClassificationMetrics.From(truth, probabilities);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {candidate.Name} | {m.MacroAccuracy:0.000} | {m.MicroAccuracy:0.000} | {m.LogLoss:0.000} | {fit.TotalSeconds / Folds:0.00} |"));
        }
    }

    /// <summary>The shipped trainer itself: CV of <see cref="TrainerSettings.Tuned"/> and of ML.NET's defaults, and the fit time on all rows.</summary>
    private static void Shipped(IReadOnlyList<LabelledMeasurements> rows, int[] folds)
    {
        var trainer = new WineModelTrainer(TrainerSettings.Tuned.Seed);
        foreach (var (name, settings) in new[] { ("Tuned", TrainerSettings.Tuned), ("ML.NET LightGbm defaults", TrainerSettings.LightGbmDefaults) })
        {
            var probabilities = new float[rows.Count][];
            for (var fold = 0; fold < Folds; fold++)
            {
                var test = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToList();
                var model = trainer.FitClassModel([.. rows.Where((_, i) => folds[i] != fold)], settings);
                var predicted = trainer.PredictClasses(model, [.. test.Select(i => rows[i])]);
                for (var n = 0; n < test.Count; n++)
                {
                    probabilities[test[n]] = predicted[n];
                }
            }
            var m = ClassificationMetrics.From([.. rows.Select(r => r.Class)], probabilities);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: CV macro {m.MacroAccuracy:0.000}, micro {m.MicroAccuracy:0.000}, log-loss {m.LogLoss:0.000}"));
        }
        var all = UciWineQuality.ReadFolder(ReferenceData.FindWineQualityFolder(Directory.GetCurrentDirectory())!);
        var watch = Stopwatch.StartNew();
        trainer.FitClassModel(all, TrainerSettings.Tuned);
        Console.WriteLine($"Tuned fit on all {all.Count} rows (1 thread): {watch.Elapsed.TotalSeconds:0.00} s");
        watch.Restart();
        trainer.FitScoreModel(all, TrainerSettings.Tuned);
        Console.WriteLine($"score model fit on all {all.Count} rows (1 thread): {watch.Elapsed.TotalSeconds:0.00} s");
    }

    /// <summary>Score models for the paper's tolerance accuracies, per colour, grouped and ungrouped folds.</summary>
    private static void Tolerance(IReadOnlyList<LabelledMeasurements> rows, int seed)
    {
        var grouped = GroupedFolds.Assign(rows, Folds, seed);
        var ungrouped = CortezProtocol.RandomFolds(rows, Folds, seed);
        var candidates = new[]
        {
            new Candidate(Learner.LightGbmRegression, Weights: ClassWeighting.None),
            new Candidate(Learner.LightGbmRegression, Weights: ClassWeighting.None, PerColour: true),
            new Candidate(Learner.LightGbmRegression, Leaves: 63, Iterations: 600, MinimumRowsPerLeaf: 3, Weights: ClassWeighting.None),
            new Candidate(Learner.FastTreeRegression, Weights: ClassWeighting.None),
            new Candidate(Learner.LightGbmScoreClasses, Weights: ClassWeighting.None),
            new Candidate(Learner.LightGbmScoreClasses, Weights: ClassWeighting.None, PerColour: true),
            new Candidate(Learner.LightGbmScoreClasses, Leaves: 63, Iterations: 600, MinimumRowsPerLeaf: 3, Weights: ClassWeighting.None),
            new Candidate(Learner.LightGbmScoreClasses, Leaves: 15, Iterations: 300, MinimumRowsPerLeaf: 20, Weights: ClassWeighting.None),
        };
        Console.WriteLine("| score model | folds | red T=0.5 | red T=1.0 | white T=0.5 | white T=1.0 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var trainer = new TuneTrainer(1);
        foreach (var candidate in candidates)
        {
            foreach (var (protocol, folds) in new[] { ("grouped", grouped), ("random", ungrouped) })
            {
                var predicted = new float[rows.Count];
                for (var fold = 0; fold < Folds; fold++)
                {
                    var test = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToList();
                    var scored = trainer.FitPredict(candidate, [.. rows.Where((_, i) => folds[i] != fold)], [.. test.Select(i => rows[i])], out _);
                    for (var n = 0; n < test.Count; n++)
                    {
                        predicted[test[n]] = candidate.Learner == Learner.LightGbmScoreClasses
                            ? TuneTrainer.LowestScore + ClassificationMetrics.ArgMax(scored[n])
                            : scored[n][0];
                    }
                }
                string Within(WineColour colour, double t)
                {
                    var of = Enumerable.Range(0, rows.Count).Where(i => rows[i].Colour == colour).ToList();
                    return ((double)of.Count(i => Math.Abs(predicted[i] - rows[i].Quality) <= t) / of.Count).ToString("0.000", CultureInfo.InvariantCulture);
                }
                Console.WriteLine($"| {candidate.Name} | {protocol} | {Within(WineColour.Red, 0.5)} | {Within(WineColour.Red, 1.0)} | {Within(WineColour.White, 0.5)} | {Within(WineColour.White, 1.0)} |");
            }
        }
    }
}
