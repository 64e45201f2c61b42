using WineFunctions.Samples;

namespace WineFunctions.Models;

/// <summary>Precision and recall of one class.</summary>
public sealed record ClassScore(string Class, int Rows, double Precision, double Recall);

/// <summary>One bin of a reliability chart: rows whose top probability fell in [Low, High), their mean top probability and how many of them were right.</summary>
public sealed record ReliabilityBin(double Low, double High, int Rows, double MeanConfidence, double Accuracy);

/// <summary>
/// How well class probabilities match the true classes: micro accuracy (share right), macro
/// accuracy (mean per-class recall, what a balanced price list cares about), log-loss, per-class
/// precision and recall, the confusion matrix (rows true good/better/best, columns predicted), and
/// calibration: the expected calibration error over 10 bins of the top probability (the gap between
/// how sure the model says it is and how often it is right, weighted by rows), with those bins.
/// The class decision follows the model's <see cref="DecisionRule"/>; calibration is of the
/// probabilities themselves, so it reads the most probable class whatever the rule.
/// Cards written before calibration was measured have neither.
/// </summary>
public sealed record ClassificationMetrics(int Rows, double MicroAccuracy, double MacroAccuracy, double LogLoss,
    IReadOnlyList<ClassScore> PerClass, IReadOnlyList<IReadOnlyList<int>> Confusion,
    double? ExpectedCalibrationError = null, IReadOnlyList<ReliabilityBin>? Reliability = null)
{
    private const int CalibrationBins = 10;

    /// <param name="rule">How probabilities become a class; the most probable class when null.</param>
    public static ClassificationMetrics From(IReadOnlyList<QualityClass> actual, IReadOnlyList<float[]> probabilities, DecisionRule? rule = null) =>
        From(actual, probabilities, [.. probabilities.Select(p => rule.ClassIndex(p))]);

    /// <param name="decided">The class index decided for each row (cross-validation decides each fold by its own rule).</param>
    public static ClassificationMetrics From(IReadOnlyList<QualityClass> actual, IReadOnlyList<float[]> probabilities, IReadOnlyList<int> decided)
    {
        var confusion = new int[3, 3];
        var logLoss = 0.0;
        for (var i = 0; i < actual.Count; i++)
        {
            var truth = (int)actual[i];
            confusion[truth, decided[i]]++;
            logLoss -= Math.Log(Math.Clamp(probabilities[i][truth], 1e-15, 1.0));
        }
        var perClass = QualityClasses.All.Select(c =>
        {
            var k = (int)c;
            var rows = Enumerable.Range(0, 3).Sum(j => confusion[k, j]);
            var predicted = Enumerable.Range(0, 3).Sum(j => confusion[j, k]);
            return new ClassScore(c.Name(), rows, predicted == 0 ? 0 : (double)confusion[k, k] / predicted, rows == 0 ? 0 : (double)confusion[k, k] / rows);
        }).ToList();
        var right = Enumerable.Range(0, 3).Sum(k => confusion[k, k]);
        var reliability = Bins(actual, probabilities);
        return new(actual.Count, actual.Count == 0 ? 0 : (double)right / actual.Count,
            MacroOf(Recalls(actual, decided)),
            actual.Count == 0 ? 0 : logLoss / actual.Count, perClass,
            [.. Enumerable.Range(0, 3).Select(k => (IReadOnlyList<int>)[.. Enumerable.Range(0, 3).Select(j => confusion[k, j])])],
            actual.Count == 0 ? 0 : reliability.Sum(b => b.Rows * Math.Abs(b.MeanConfidence - b.Accuracy)) / actual.Count, reliability);
    }

    /// <summary>Each class's recall (good, better, best); NaN for a class with no rows, which <see cref="MacroOf"/> leaves out.</summary>
    public static double[] Recalls(IReadOnlyList<QualityClass> actual, IReadOnlyList<int> decided)
    {
        var (rows, right) = (new int[3], new int[3]);
        for (var i = 0; i < actual.Count; i++)
        {
            rows[(int)actual[i]]++;
            right[(int)actual[i]] += decided[i] == (int)actual[i] ? 1 : 0;
        }
        return [.. Enumerable.Range(0, 3).Select(k => rows[k] == 0 ? double.NaN : (double)right[k] / rows[k])];
    }

    /// <summary>Macro (balanced) accuracy: the mean recall of the classes that have rows.</summary>
    public static double MacroOf(double[] recalls) => recalls.Where(r => !double.IsNaN(r)).DefaultIfEmpty(0).Average();

    /// <summary>The rows binned by their top probability (ten bins of 0.1), with the bins' mean top probability and accuracy; empty bins left out.</summary>
    private static List<ReliabilityBin> Bins(IReadOnlyList<QualityClass> actual, IReadOnlyList<float[]> probabilities)
    {
        var rows = new int[CalibrationBins];
        var confidence = new double[CalibrationBins];
        var right = new int[CalibrationBins];
        for (var i = 0; i < actual.Count; i++)
        {
            var predicted = ArgMax(probabilities[i]);
            var top = probabilities[i][predicted];
            var bin = Math.Clamp((int)(top * CalibrationBins), 0, CalibrationBins - 1);
            rows[bin]++;
            confidence[bin] += top;
            right[bin] += predicted == (int)actual[i] ? 1 : 0;
        }
        return [.. Enumerable.Range(0, CalibrationBins).Where(b => rows[b] > 0).Select(b =>
            new ReliabilityBin((double)b / CalibrationBins, (double)(b + 1) / CalibrationBins, rows[b], confidence[b] / rows[b], (double)right[b] / rows[b]))];
    }

    public static int ArgMax(ReadOnlySpan<float> probabilities)
    {
        var best = 0;
        for (var i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }
        return best;
    }
}

/// <summary>
/// Cortez et al. 2009's measure: the share of wines whose predicted 0-10 score is within the
/// tolerance of the tasters' score (0.5: the right score; 1.0: at most one point off).
/// </summary>
public sealed record ScoreTolerance(string Colour, int Rows, double WithinHalf, double WithinOne, double PaperSvmWithinHalf, double PaperSvmWithinOne);
