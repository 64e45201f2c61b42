using System.Diagnostics;
using System.Globalization;
using WineFunctions.Data;
using WineFunctions.Models;
using WineFunctions.Samples;
using WineFunctions.Training;

namespace WineFunctions.Benchmarks;

/// <summary>
/// Cut points per colour instead of one pair, under the card's nested protocol (same folds, seeds and
/// inner folds as <see cref="NestedCrossValidation"/>): red and white have different class mixes, so
/// one pair of cut points may balance neither. Each outer fold's two rules are tuned on the inner
/// out-of-fold probabilities of its own colour's rows; the shared rule is scored from the same fits.
/// </summary>
internal static class ColourCutTune
{
    public static void Run(IReadOnlyList<LabelledMeasurements> training)
    {
        var tuned = TrainerSettings.Tuned;
        Console.WriteLine("| candidate | one pair of cut points: macro mean ± sd | per repeat | a pair per colour: macro mean ± sd | per repeat | s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, settings) in new[] { ("Tuned (ships), 600 trees", tuned), ("L31, 400 it, lr 0.02, 1,200 trees", tuned with { Iterations = 400, LearningRate = 0.02 }) })
        {
            var clock = Stopwatch.StartNew();
            var (shared, perColour) = Repeats(training, NestedTune.Fit(settings));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Summary(shared)} | {Summary(perColour)} | {clock.Elapsed.TotalSeconds:0} |"));
        }
    }

    private static string Summary(IReadOnlyList<double> repeats)
    {
        var mean = repeats.Average();
        var sd = Math.Sqrt(repeats.Sum(m => (m - mean) * (m - mean)) / (repeats.Count - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{mean:0.000} ± {sd:0.000} | {string.Join(" / ", repeats.Select(m => m.ToString("0.000", CultureInfo.InvariantCulture)))}");
    }

    /// <summary>Each repeat's pooled macro accuracy with one shared rule and with a rule per colour.</summary>
    private static (IReadOnlyList<double> Shared, IReadOnlyList<double> PerColour) Repeats(IReadOnlyList<LabelledMeasurements> rows, FitAndPredict fit)
    {
        const int folds = ModelTraining.Folds, innerFolds = NestedCrossValidation.InnerFolds;
        var seeds = NestedCrossValidation.FoldSeeds;
        var actual = rows.Select(r => r.Class).ToList();
        var shared = new List<double>();
        var perColour = new List<double>();
        foreach (var seed in seeds)
        {
            var inFold = GroupedFolds.Assign(rows, folds, seed);
            var probabilities = new float[rows.Count][];
            var (decidedShared, decidedPerColour) = (new int[rows.Count], new int[rows.Count]);
            Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, fold =>
            {
                var training = rows.Where((_, i) => inFold[i] != fold).ToList();
                var tested = Enumerable.Range(0, rows.Count).Where(i => inFold[i] == fold).ToArray();
                var inner = NestedCrossValidation.OutOfFold(training, GroupedFolds.Assign(training, innerFolds, seed * 10 + fold), innerFolds, fit, CancellationToken.None);
                var one = DecisionRule.Tune([.. training.Select(r => r.Class)], inner);
                var byColour = new[] { WineColour.Red, WineColour.White }.ToDictionary(c => c, c =>
                {
                    var mine = Enumerable.Range(0, training.Count).Where(i => training[i].Colour == c).ToList();
                    return DecisionRule.Tune([.. mine.Select(i => training[i].Class)], [.. mine.Select(i => inner[i])]);
                });
                var predicted = fit(training, [.. tested.Select(i => rows[i])]);
                for (var n = 0; n < tested.Length; n++)
                {
                    probabilities[tested[n]] = predicted[n];
                    decidedShared[tested[n]] = one.Decide(predicted[n]);
                    decidedPerColour[tested[n]] = byColour[rows[tested[n]].Colour].Decide(predicted[n]);
                }
            });
            shared.Add(ClassificationMetrics.From(actual, probabilities, decidedShared).MacroAccuracy);
            perColour.Add(ClassificationMetrics.From(actual, probabilities, decidedPerColour).MacroAccuracy);
        }
        return (shared, perColour);
    }
}
