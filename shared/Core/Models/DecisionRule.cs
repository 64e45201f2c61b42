using WineFunctions.Samples;

namespace WineFunctions.Models;

/// <summary>
/// How a model's three probabilities become one class. The classes are ordered, so the rule reads
/// the expected class index P(better) + 2 P(best) (0 to 2) against two cut points: below the lower
/// one is good, below the upper one better, the rest best. The cut points are tuned for macro
/// accuracy (balanced accuracy) on out-of-fold probabilities, never on the rows they are scored on,
/// and stored on the model card; cards without one decide by the most probable class.
/// </summary>
public sealed record DecisionRule(double LowerCut, double UpperCut)
{
    /// <summary>The cut points tried: 0 to 2 in steps of 0.005.</summary>
    private const int Steps = 400;

    public static double ExpectedClass(ReadOnlySpan<float> probabilities) => probabilities[1] + 2.0 * probabilities[2];

    public int Decide(ReadOnlySpan<float> probabilities)
    {
        var expected = ExpectedClass(probabilities);
        return expected < LowerCut ? 0 : expected < UpperCut ? 1 : 2;
    }

    /// <summary>The cut points that give the highest macro accuracy on these rows.</summary>
    public static DecisionRule Tune(IReadOnlyList<QualityClass> actual, IReadOnlyList<float[]> probabilities)
    {
        var recalls = RecallSums(actual, probabilities);
        var (best, lower, upper) = (-1.0, 0, 0);
        for (var l = 0; l <= Steps + 1; l++)
        {
            for (var u = l; u <= Steps + 1; u++)
            {
                if (recalls[l, u] > best)
                {
                    (best, lower, upper) = (recalls[l, u], l, u);
                }
            }
        }
        return AtSteps(lower, upper);
    }

    /// <summary>
    /// The sum of the three classes' recalls (three times the macro accuracy) for every pair of cut
    /// steps, [lower, upper], an upper step below the lower one counting as equal to it. Counting each
    /// class's rows below every candidate cut once makes every pair a few lookups.
    /// </summary>
    public static double[,] RecallSums(IReadOnlyList<QualityClass> actual, IReadOnlyList<float[]> probabilities)
    {
        var below = new int[3, Steps + 2];
        var rows = new int[3];
        for (var i = 0; i < actual.Count; i++)
        {
            var k = (int)actual[i];
            rows[k]++;
            // The first cut strictly above the row's expected class: the row is below that cut and every higher one.
            below[k, Math.Clamp((int)Math.Floor(ExpectedClass(probabilities[i]) * Steps / 2.0) + 1, 0, Steps + 1)]++;
        }
        for (var k = 0; k < 3; k++)
        {
            for (var c = 1; c <= Steps + 1; c++)
            {
                below[k, c] += below[k, c - 1];
            }
        }
        double Recall(int k, int count) => rows[k] == 0 ? 0 : (double)count / rows[k];
        var sums = new double[Steps + 2, Steps + 2];
        for (var l = 0; l <= Steps + 1; l++)
        {
            for (var u = 0; u <= Steps + 1; u++)
            {
                var upper = Math.Max(l, u);
                sums[l, u] = Recall(0, below[0, l]) + Recall(1, below[1, upper] - below[1, l]) + Recall(2, rows[2] - below[2, upper]);
            }
        }
        return sums;
    }

    /// <summary>The rule whose cut points are these steps of <see cref="RecallSums"/>.</summary>
    public static DecisionRule AtSteps(int lower, int upper) => new(Cut(lower), Cut(upper));

    private static double Cut(int step) => Math.Round(step * 2.0 / Steps, 3);
}

public static class DecisionRules
{
    /// <summary>The class index the rule gives, or the most probable class when there is no rule.</summary>
    public static int ClassIndex(this DecisionRule? rule, ReadOnlySpan<float> probabilities) =>
        rule?.Decide(probabilities) ?? ClassificationMetrics.ArgMax(probabilities);
}
