using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Trainers.LightGbm;
using WineFunctions.Data;
using WineFunctions.Models;
using WineFunctions.Samples;
using WineFunctions.Training;

namespace WineFunctions.Benchmarks;

/// <summary>
/// Candidates under the protocol the model card reports (<see cref="NestedCrossValidation"/>: grouped,
/// repeated on fold seeds 101-103, cut points tuned on inner folds), with both decision rules, and
/// score models under Cortez et al.'s protocol (<see cref="CortezProtocol"/>).
/// </summary>
internal static class NestedTune
{
    /// <summary>The grouped-CV winner's shape (31 leaves, min 5 rows, feature fraction 0.9, subsample 0.6, L2 1) at 400 rounds of 0.02, before this comparison.</summary>
    private static readonly TrainerSettings Shape = new()
    {
        Leaves = 31, Iterations = 400, LearningRate = 0.02, MinimumRowsPerLeaf = 5, FeatureFraction = 0.9, RowSubsample = 0.6, L2Regularization = 1, BalancedClassWeights = true,
    };

    public static IEnumerable<(string Name, TrainerSettings Settings)> Candidates(bool leaders)
    {
        var unweighted = Shape with { BalancedClassWeights = false };
        if (!leaders)
        {
            yield return ("L31, 400 it, lr 0.02, balanced weights (shipped before)", Shape);
        }
        yield return ("no weights, L31, 400 it, lr 0.02", unweighted);
        yield return ("no weights, L31, 200 it, lr 0.04 (ships)", unweighted with { Iterations = 200, LearningRate = 0.04 });
        if (leaders)
        {
            yield return ("no weights, L63, 200 it, lr 0.04, min 10", unweighted with { Leaves = 63, Iterations = 200, LearningRate = 0.04, MinimumRowsPerLeaf = 10 });
            yield break;
        }
        foreach (var (leaves, iterations, rate) in new[] { (31, 100, 0.08), (15, 400, 0.02), (15, 200, 0.04), (15, 100, 0.08), (15, 50, 0.15), (7, 200, 0.05), (7, 100, 0.1), (7, 50, 0.2), (4, 100, 0.15) })
        {
            yield return ($"no weights, L{leaves}, {iterations} it, lr {rate}", unweighted with { Leaves = leaves, Iterations = iterations, LearningRate = rate });
        }
    }

    public static IEnumerable<(string Name, TrainerSettings Settings)> ScoreCandidates()
    {
        var score = TrainerSettings.ScoreModel;
        yield return ("L31, 300 it (ScoreModel)", score);
        yield return ("L63, 600 it, min 3", score with { Leaves = 63, Iterations = 600, MinimumRowsPerLeaf = 3 });
        yield return ("L63, 300 it, lr 0.1, min 3", score with { Leaves = 63, Iterations = 300, LearningRate = 0.1, MinimumRowsPerLeaf = 3 });
        yield return ("L127, 150 it, lr 0.15, min 2", score with { Leaves = 127, Iterations = 150, LearningRate = 0.15, MinimumRowsPerLeaf = 2 });
    }

    public static void Classes(IReadOnlyList<LabelledMeasurements> training, IEnumerable<(string Name, TrainerSettings Settings)> candidates, int innerFolds)
    {
        Console.WriteLine($"cut points tuned on {innerFolds} inner folds");
        Console.WriteLine("| candidate | trees | cut points: macro mean ± sd | per repeat | most probable: macro mean ± sd | log-loss | s |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, settings) in candidates)
        {
            var clock = Stopwatch.StartNew();
            var repeats = NestedCrossValidation.Run(training, ModelTraining.Folds, Fit(settings), CancellationToken.None, innerFolds: innerFolds);
            var cut = RepeatedScore.Of(name, [.. repeats.Select(r => r.CutPoints)]);
            var argMax = RepeatedScore.Of(name, [.. repeats.Select(r => r.MostProbable)]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {settings.Iterations * 3} | {cut.Mean:0.000} ± {cut.StandardDeviation:0.000} | {string.Join(" / ", cut.MacroAccuracy.Select(m => m.ToString("0.000", CultureInfo.InvariantCulture)))} | {argMax.Mean:0.000} ± {argMax.StandardDeviation:0.000} | {cut.LogLoss:0.000} | {clock.Elapsed.TotalSeconds:0} |"));
        }
    }

    public static void Cortez(IReadOnlyList<LabelledMeasurements> rows, IEnumerable<(string Name, TrainerSettings Settings)> candidates)
    {
        Console.WriteLine("| score model, per colour | red T=0.5 | red T=1.0 | white T=0.5 | white T=1.0 | s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, settings) in candidates)
        {
            var clock = Stopwatch.StartNew();
            var comparison = CortezProtocol.Run(rows, UciFingerprint.CompleteColours(rows), settings, ModelTraining.Folds, NestedCrossValidation.FoldSeeds, CancellationToken.None);
            var (red, white) = (comparison.Colours[0], comparison.Colours[1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {red.WithinHalf:0.000} | {red.WithinOne:0.000} | {white.WithinHalf:0.000} | {white.WithinOne:0.000} | {clock.Elapsed.TotalSeconds:0} |"));
        }
    }

    /// <summary>Seed-bagged ensembles of the shipped model and a few more shapes, under the card's protocol: does averaging buy the last 0.005?</summary>
    public static void Bagged(IReadOnlyList<LabelledMeasurements> training)
    {
        PrintCutPointHeader();
        var tuned = TrainerSettings.Tuned;
        foreach (var (name, settings, bag) in new[]
        {
            ("bag 3 x Tuned", tuned, 3),
            ("bag 2 x Tuned", tuned, 2),
            ("L31, 800 it, lr 0.01", tuned with { Iterations = 800, LearningRate = 0.01 }, 1),
            ("bag 3 x (L31, 100 it, lr 0.08)", tuned with { Iterations = 100, LearningRate = 0.08 }, 3),
            ("min 20, L31, 400 it, lr 0.02", tuned with { Iterations = 400, LearningRate = 0.02, MinimumRowsPerLeaf = 20 }, 1),
            ("feature fraction 0.6, L31, 400 it, lr 0.02", tuned with { Iterations = 400, LearningRate = 0.02, FeatureFraction = 0.6 }, 1),
        })
        {
            PrintCutPointRow(training, name, settings.Iterations * 3 * bag, Averaged([.. Enumerable.Range(1, bag).Select(seed => Fit(settings with { Seed = seed }))]));
        }
    }

    /// <summary>
    /// Further ways in, each under the card's protocol and cut points: the 1,200-tree unweighted model
    /// through the search's own trainer (the control, seeded as the search is), with engineered
    /// features, with the 0-10 score's 7 classes summed back to 3, and fitted on each duplicate group once;
    /// the 1,200-tree model on each measurement's percentile within its colour (one split then means the same
    /// for red and white), and blended with a model of another family (a random forest, a linear model).
    /// </summary>
    public static void Variants(IReadOnlyList<LabelledMeasurements> training)
    {
        PrintCutPointHeader();
        var shape = new Candidate(Iterations: 400, LearningRate: 0.02, MinimumRowsPerLeaf: 5, FeatureFraction: 0.9, RowSubsample: 0.6, Weights: ClassWeighting.None, L2: 1);
        FitAndPredict Search(Candidate candidate) => (rows, scored) => new TuneTrainer(1).FitPredict(candidate, rows, scored, out _);
        FitAndPredict Once(FitAndPredict fit) => (rows, scored) => fit([.. rows.DistinctBy(r => (GroupedFolds.GroupKey(r), r.Quality))], scored);
        PrintCutPointRow(training, "L31, 400 it, lr 0.02 (the search's trainer)", 1_200, Search(shape));
        PrintCutPointRow(training, "same + bound SO2, free/total SO2", 1_200, Search(shape with { Features = FeatureSet.Sulfur }));
        PrintCutPointRow(training, "same + those, alcohol x density, molecular SO2", 1_200, Search(shape with { Features = FeatureSet.Chemistry }));
        PrintCutPointRow(training, "7 score classes (3-9), summed to good / better / best", 2_800, (rows, scored) =>
            [.. Search(shape with { Learner = Learner.LightGbmScoreClasses })(rows, scored).Select(p => new[] { p[0] + p[1] + p[2], p[3], p[4] + p[5] + p[6] })]);
        PrintCutPointRow(training, "L31, 400 it, lr 0.02, each duplicate group once", 1_200, Once(Fit(TrainerSettings.Tuned with { Iterations = 400, LearningRate = 0.02 })));
        PrintCutPointRow(training, "Tuned (ships), each duplicate group once", 600, Once(Fit(TrainerSettings.Tuned)));
        var best = Fit(TrainerSettings.Tuned with { Iterations = 400, LearningRate = 0.02 });
        PrintCutPointRow(training, "L31, 400 it, lr 0.02, on percentiles within the colour", 1_200, PercentilesWithinColour(best));
        var forest = new Candidate(Learner.FastForestOneVersusAll, Leaves: 63, Iterations: 300, MinimumRowsPerLeaf: 5, FeatureFraction: 0.7, Weights: ClassWeighting.None);
        PrintCutPointRow(training, "0.7 x L31, 400 it, lr 0.02 + 0.3 x random forest (300 trees of 63 leaves a class)", 1_200 + 900, Blended(best, Search(forest), 0.3));
        PrintCutPointRow(training, "0.8 x L31, 400 it, lr 0.02 + 0.2 x multinomial logistic regression", 1_200, Blended(best, Search(new Candidate(Learner.MaximumEntropy, Weights: ClassWeighting.None)), 0.2));
    }

    /// <summary>Each measurement replaced by its mid-rank share among the fitted rows of the same colour, for fitting and scoring alike.</summary>
    private static FitAndPredict PercentilesWithinColour(FitAndPredict fit) => (rows, scored) =>
    {
        var sorted = rows.GroupBy(r => r.Colour).ToDictionary(g => g.Key, g =>
            Enumerable.Range(0, Measurement.All.Count).Select(m => g.Select(r => r.Values[m]).Order().ToArray()).ToArray());
        static double Share(double[] sorted, double value) => (Bound(sorted, value, orEqual: false) + Bound(sorted, value, orEqual: true)) / 2.0 / sorted.Length;
        LabelledMeasurements Mapped(LabelledMeasurements row) => row with { Values = [.. row.Values.Select((v, m) => Share(sorted[row.Colour][m], v))] };
        return fit([.. rows.Select(Mapped)], [.. scored.Select(Mapped)]);
    };

    /// <summary>
    /// The shipped and the best model over thirty fold seeds (101-130) instead of the card's three: how far
    /// a three-repeat mean can be from the protocol's own mean, and how wide the repeats spread.
    /// </summary>
    public static void Repeats(IReadOnlyList<LabelledMeasurements> training)
    {
        Console.WriteLine("| candidate | repeats: macro mean ± sd | standard error | lowest - highest repeat | three-repeat means (101-103, 104-106, ...) | 150 folds: mean ± sd | s |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, settings) in new[] { ("Tuned (ships), 600 trees", TrainerSettings.Tuned), ("L31, 400 it, lr 0.02, 1,200 trees", TrainerSettings.Tuned with { Iterations = 400, LearningRate = 0.02 }) })
        {
            var clock = Stopwatch.StartNew();
            var repeats = NestedCrossValidation.Run(training, ModelTraining.Folds, Fit(settings), CancellationToken.None, seeds: [.. Enumerable.Range(101, 30)]);
            var macro = repeats.Select(r => r.CutPoints.MacroAccuracy).ToList();
            var folds = repeats.SelectMany(r => r.FoldMacroAccuracy).ToList();
            var sd = RepeatedScore.StandardDeviationOf(macro);
            var threes = macro.Chunk(3).Select(three => three.Average().ToString("0.000", CultureInfo.InvariantCulture));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {macro.Average():0.000} ± {sd:0.000} | {sd / Math.Sqrt(macro.Count):0.000} | {macro.Min():0.000} - {macro.Max():0.000} | {string.Join(" / ", threes)} | {folds.Average():0.000} ± {RepeatedScore.StandardDeviationOf(folds):0.000} | {clock.Elapsed.TotalSeconds:0} |"));
        }
    }

    /// <summary>
    /// A random search of the shape under the card's protocol and cut points, unweighted, on fold seeds
    /// 201-203 (not the card's 101-103, so that the card's figures stay untouched by the choice); the
    /// 1,200-tree model is the first row. Tree counts scale with the learning rate so that slow rates get enough rounds.
    /// </summary>
    public static void RandomSearch(IReadOnlyList<LabelledMeasurements> training, int count, int seed)
    {
        var random = new Random(seed);
        T Pick<T>(params T[] values) => values[random.Next(values.Length)];
        var best = TrainerSettings.Tuned with { Iterations = 400, LearningRate = 0.02 };
        var candidates = new List<TrainerSettings> { best };
        for (var n = 0; n < count; n++)
        {
            var (leaves, rate) = (Pick(7, 15, 31, 63), Pick(0.01, 0.02, 0.03, 0.05));
            var rounds = (int)Math.Round(8.0 / rate * Pick(0.5, 1.0, 1.5) * (leaves <= 15 ? 1.5 : 1));
            candidates.Add(best with
            {
                Leaves = leaves, LearningRate = rate, Iterations = Math.Min(rounds, 900),
                MinimumRowsPerLeaf = Pick(2, 5, 10, 20, 40), FeatureFraction = Pick(0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
                RowSubsample = Pick(0.5, 0.6, 0.7, 0.8, 1.0), L2Regularization = Pick(0, 1, 3, 10, 30),
            });
        }
        Console.WriteLine("fold seeds 201-203");
        PrintCutPointHeader();
        foreach (var settings in candidates)
        {
            var name = string.Create(CultureInfo.InvariantCulture,
                $"L{settings.Leaves}, {settings.Iterations} it, lr {settings.LearningRate}, min {settings.MinimumRowsPerLeaf}, ff {settings.FeatureFraction}, ss {settings.RowSubsample}, L2 {settings.L2Regularization}");
            PrintCutPointRow(training, name, settings.Iterations * 3, Fit(settings), seeds: [201, 202, 203]);
        }
    }

    public static void PrintCutPointHeader()
    {
        Console.WriteLine("| candidate | trees | cut points: macro mean ± sd | per repeat | log-loss | s |");
        Console.WriteLine("|---|---|---|---|---|---|");
    }

    /// <summary>One candidate under the card's protocol and cut points, as a row of <see cref="PrintCutPointHeader"/>'s table.</summary>
    public static void PrintCutPointRow(IReadOnlyList<LabelledMeasurements> training, string name, int trees, FitAndPredict fit, IReadOnlyList<int>? seeds = null)
    {
        var clock = Stopwatch.StartNew();
        var repeats = NestedCrossValidation.Run(training, ModelTraining.Folds, fit, CancellationToken.None, seeds);
        var cut = RepeatedScore.Of(name, [.. repeats.Select(r => r.CutPoints)]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {trees} | {cut.Mean:0.000} ± {cut.StandardDeviation:0.000} | {string.Join(" / ", cut.MacroAccuracy.Select(m => m.ToString("0.000", CultureInfo.InvariantCulture)))} | {cut.LogLoss:0.000} | {clock.Elapsed.TotalSeconds:0} |"));
    }

    /// <summary>The class model fitted with <paramref name="settings"/> (its seed included), and <paramref name="knob"/> on the trainer's options last.</summary>
    public static FitAndPredict Fit(TrainerSettings settings, Action<LightGbmMulticlassTrainer.Options>? knob = null) => (training, scored) =>
    {
        var trainer = new WineModelTrainer(settings.Seed);
        return trainer.PredictClasses(trainer.FitClassModel(training, settings, knob), scored);
    };

    /// <summary>How many of the sorted values are below <paramref name="value"/> (or equal to it, with <paramref name="orEqual"/>).</summary>
    private static int Bound(double[] sorted, double value, bool orEqual)
    {
        var (low, high) = (0, sorted.Length);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] < value || (orEqual && sorted[middle] == value))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>The class probabilities of <paramref name="main"/> and <paramref name="other"/>, mixed with <paramref name="otherWeight"/> for the second, row by row.</summary>
    public static FitAndPredict Blended(FitAndPredict main, FitAndPredict other, double otherWeight) => (training, scored) =>
    {
        var (first, second) = (main(training, scored), other(training, scored));
        return [.. first.Select((p, i) => p.Select((x, k) => (float)((1 - otherWeight) * x + otherWeight * second[i][k])).ToArray())];
    };

    /// <summary>The mean of several models' class probabilities, row by row.</summary>
    public static FitAndPredict Averaged(IReadOnlyList<FitAndPredict> fits) => (training, scored) =>
    {
        var predictions = fits.Select(fit => fit(training, scored)).ToList();
        return [.. Enumerable.Range(0, scored.Count).Select(i => Enumerable.Range(0, predictions[0][i].Length).Select(c => predictions.Average(p => p[i][c])).ToArray())];
    };
}
