using System.Diagnostics;
using System.Globalization;
using WineFunctions.Data;
using WineFunctions.Models;
using WineFunctions.Samples;
using WineFunctions.Training;

namespace WineFunctions.Benchmarks;

/// <summary>
/// Other ways to tune the card's cut points, each from the same fits under the card's nested protocol
/// (same folds, seeds and inner folds as <see cref="NestedCrossValidation"/>), beside the card's own:
/// a pair per colour (red and white have different class mixes), and pairs chosen for the best mean
/// macro accuracy over a window around them rather than at one point (less fitted to the inner folds' noise);
/// two unordered rules: the most probable class after dividing by the class shares (the balanced-accuracy
/// rule for calibrated probabilities, nothing tuned), and after class weights tuned on the inner folds;
/// and two other ordered ones: a threshold on each end class's own probability, and cut points on the log
/// odds of best against good instead of the expected class index.
/// </summary>
internal static class CutPointTune
{
    /// <summary>Tunes a decision on one outer fold's training rows and their inner out-of-fold probabilities.</summary>
    private delegate Func<LabelledMeasurements, float[], int> Tuning(IReadOnlyList<LabelledMeasurements> training, IReadOnlyList<float[]> inner);

    private static readonly (string Name, Tuning Tune)[] Rules =
    [
        ("one pair (the card's)", (training, inner) => Decide(DecisionRule.Tune([.. training.Select(r => r.Class)], inner))),
        ("a pair per colour", (training, inner) =>
        {
            var byColour = new[] { WineColour.Red, WineColour.White }.ToDictionary(c => c, c =>
            {
                var mine = Enumerable.Range(0, training.Count).Where(i => training[i].Colour == c).ToList();
                return DecisionRule.Tune([.. mine.Select(i => training[i].Class)], [.. mine.Select(i => inner[i])]);
            });
            return (row, probabilities) => byColour[row.Colour].Decide(probabilities);
        }),
        ("one pair, best over ±0.025", (training, inner) => Decide(Smoothed(training, inner, 5))),
        ("one pair, best over ±0.05", (training, inner) => Decide(Smoothed(training, inner, 10))),
        ("one pair, best over ±0.1", (training, inner) => Decide(Smoothed(training, inner, 20))),
        ("most probable after dividing by the class shares", (training, _) =>
        {
            var shares = Enumerable.Range(0, 3).Select(k => (double)training.Count(r => (int)r.Class == k) / training.Count).ToArray();
            return Weighted([.. shares.Select(s => 1 / s)]);
        }),
        ("most probable after tuned class weights", (training, inner) => Weighted(TunedWeights(training, inner))),
        ("thresholds on P(best), then P(good)", (training, inner) => EndThresholds(training, inner, bestFirst: true)),
        ("thresholds on P(good), then P(best)", (training, inner) => EndThresholds(training, inner, bestFirst: false)),
        ("cut points on ln(P(best) / P(good))", LogOddsCutPoints),
    ];

    public static void Run(IReadOnlyList<LabelledMeasurements> training)
    {
        Console.WriteLine("| candidate | rule | macro mean ± sd | per repeat | s |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, settings) in new[] { ("Tuned (ships), 600 trees", TrainerSettings.Tuned), ("L31, 400 it, lr 0.02, 1,200 trees", TrainerSettings.Tuned with { Iterations = 400, LearningRate = 0.02 }) })
        {
            var clock = Stopwatch.StartNew();
            var repeats = Repeats(training, NestedTune.Fit(settings));
            foreach (var (rule, macro) in Rules.Select((r, k) => (r.Name, repeats.Select(repeat => repeat[k]).ToList())))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {rule} | {macro.Average():0.000} ± {RepeatedScore.StandardDeviationOf(macro):0.000} | {string.Join(" / ", macro.Select(m => m.ToString("0.000", CultureInfo.InvariantCulture)))} | {clock.Elapsed.TotalSeconds:0} |"));
            }
        }
    }

    private static Func<LabelledMeasurements, float[], int> Decide(DecisionRule rule) => (_, probabilities) => rule.Decide(probabilities);

    /// <summary>The class whose weighted probability is highest: the unordered alternative to cut points.</summary>
    private static Func<LabelledMeasurements, float[], int> Weighted(double[] weights) => (_, probabilities) =>
        Enumerable.Range(0, weights.Length).MaxBy(k => probabilities[k] * weights[k]);

    /// <summary>Weights for better and best (good's is 1), each on a 0.05 grid, with the best macro accuracy on the inner probabilities.</summary>
    private static double[] TunedWeights(IReadOnlyList<LabelledMeasurements> training, IReadOnlyList<float[]> inner) =>
        MostAccurate(training,
            from better in Enumerable.Range(10, 51) from top in Enumerable.Range(10, 91) select new[] { 1, better * 0.05, top * 0.05 },
            weights =>
            {
                var decide = Weighted(weights);
                return training.Select((row, i) => decide(row, inner[i]));
            });

    /// <summary>
    /// Best when P(best) reaches one threshold, good when P(good) reaches the other, else better; where both
    /// hold, <paramref name="bestFirst"/> says which wins. Both thresholds on a 0.01 grid, tuned on the inner probabilities.
    /// </summary>
    private static Func<LabelledMeasurements, float[], int> EndThresholds(IReadOnlyList<LabelledMeasurements> training, IReadOnlyList<float[]> inner, bool bestFirst)
    {
        int Decide(float[] p, (double Best, double Good) at) => bestFirst
            ? (p[2] >= at.Best ? 2 : p[0] >= at.Good ? 0 : 1)
            : (p[0] >= at.Good ? 0 : p[2] >= at.Best ? 2 : 1);
        var chosen = MostAccurate(training,
            from b in Enumerable.Range(1, 99) from g in Enumerable.Range(1, 99) select (Best: b / 100.0, Good: g / 100.0),
            at => inner.Select(p => Decide(p, at)));
        return (_, probabilities) => Decide(probabilities, chosen);
    }

    /// <summary>Two cut points on ln(P(best) / P(good)), each at one of 200 quantiles of the inner rows' values, tuned for macro accuracy.</summary>
    private static Func<LabelledMeasurements, float[], int> LogOddsCutPoints(IReadOnlyList<LabelledMeasurements> training, IReadOnlyList<float[]> inner)
    {
        static double LogOdds(float[] p) => Math.Log((p[2] + 1e-6) / (p[0] + 1e-6));
        static int Decide(double value, (double Lower, double Upper) cuts) => value < cuts.Lower ? 0 : value < cuts.Upper ? 1 : 2;
        var values = inner.Select(LogOdds).ToArray();
        var sorted = values.Order().ToArray();
        var cuts = Enumerable.Range(0, 200).Select(q => sorted[q * sorted.Length / 200]).Distinct().ToArray();
        var chosen = MostAccurate(training,
            from l in Enumerable.Range(0, cuts.Length) from u in Enumerable.Range(l, cuts.Length - l) select (Lower: cuts[l], Upper: cuts[u]),
            pair => values.Select(v => Decide(v, pair)));
        return (_, probabilities) => Decide(LogOdds(probabilities), chosen);
    }

    /// <summary>The candidate whose decisions of the training rows score the highest macro accuracy; the first of equals.</summary>
    private static T MostAccurate<T>(IReadOnlyList<LabelledMeasurements> training, IEnumerable<T> candidates, Func<T, IEnumerable<int>> decisions)
    {
        var actual = training.Select(r => r.Class).ToList();
        return candidates.MaxBy(c => ClassificationMetrics.MacroOf(ClassificationMetrics.Recalls(actual, [.. decisions(c)])))!;
    }

    /// <summary>The pair whose macro accuracy, averaged over ±<paramref name="window"/> steps of 0.005 in both cuts, is highest.</summary>
    private static DecisionRule Smoothed(IReadOnlyList<LabelledMeasurements> training, IReadOnlyList<float[]> inner, int window)
    {
        var recalls = DecisionRule.RecallSums([.. training.Select(r => r.Class)], inner);
        var n = recalls.GetLength(0);
        // Box sums by prefix sums.
        var sum = new double[n + 1, n + 1];
        for (var l = 0; l < n; l++)
        {
            for (var u = 0; u < n; u++)
            {
                sum[l + 1, u + 1] = recalls[l, u] + sum[l, u + 1] + sum[l + 1, u] - sum[l, u];
            }
        }
        var (best, lower, upper) = (-1.0, 0, 0);
        for (var l = 0; l < n; l++)
        {
            for (var u = l; u < n; u++)
            {
                var (l0, l1, u0, u1) = (Math.Max(0, l - window), Math.Min(n - 1, l + window), Math.Max(0, u - window), Math.Min(n - 1, u + window));
                var mean = (sum[l1 + 1, u1 + 1] - sum[l0, u1 + 1] - sum[l1 + 1, u0] + sum[l0, u0]) / ((l1 - l0 + 1) * (u1 - u0 + 1));
                if (mean > best)
                {
                    (best, lower, upper) = (mean, l, u);
                }
            }
        }
        return DecisionRule.AtSteps(lower, upper);
    }

    /// <summary>Each repeat's pooled macro accuracy under every rule, the rules tuned on each outer fold's own inner folds.</summary>
    private static List<double[]> Repeats(IReadOnlyList<LabelledMeasurements> rows, FitAndPredict fit)
    {
        var actual = rows.Select(r => r.Class).ToList();
        return [.. NestedCrossValidation.OuterFolds(rows, ModelTraining.Folds, fit, CancellationToken.None).GroupBy(o => o.Repeat).Select(repeat =>
        {
            var probabilities = new float[rows.Count][];
            var decided = Rules.Select(_ => new int[rows.Count]).ToArray();
            foreach (var outer in repeat)
            {
                var decisions = Rules.Select(r => r.Tune(outer.Training, outer.Inner)).ToList();
                for (var n = 0; n < outer.Tested.Length; n++)
                {
                    var row = outer.Tested[n];
                    probabilities[row] = outer.Predicted[n];
                    for (var k = 0; k < decisions.Count; k++)
                    {
                        decided[k][row] = decisions[k](rows[row], outer.Predicted[n]);
                    }
                }
            }
            return decided.Select(d => ClassificationMetrics.From(actual, probabilities, d).MacroAccuracy).ToArray();
        })];
    }
}
