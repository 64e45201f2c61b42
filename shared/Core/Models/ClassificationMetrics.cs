using WineFunctions.Samples;

namespace WineFunctions.Models;

/// <summary>Precision and recall of one class.</summary>
public sealed record ClassScore(string Class, int Rows, double Precision, double Recall);

/// <summary>
/// How well class probabilities match the true classes: micro accuracy (share right), macro
/// accuracy (mean per-class recall, what a balanced price list cares about), log-loss, per-class
/// precision and recall, and the confusion matrix (rows true good/better/best, columns predicted).
/// </summary>
public sealed record ClassificationMetrics(int Rows, double MicroAccuracy, double MacroAccuracy, double LogLoss,
    IReadOnlyList<ClassScore> PerClass, IReadOnlyList<IReadOnlyList<int>> Confusion)
{
    public static ClassificationMetrics From(IReadOnlyList<QualityClass> actual, IReadOnlyList<float[]> probabilities)
    {
        var confusion = new int[3, 3];
        var logLoss = 0.0;
        for (var i = 0; i < actual.Count; i++)
        {
            var truth = (int)actual[i];
            confusion[truth, ArgMax(probabilities[i])]++;
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
        return new(actual.Count, actual.Count == 0 ? 0 : (double)right / actual.Count,
            perClass.Where(c => c.Rows > 0).Select(c => c.Recall).DefaultIfEmpty(0).Average(),
            actual.Count == 0 ? 0 : logLoss / actual.Count, perClass,
            [.. Enumerable.Range(0, 3).Select(k => (IReadOnlyList<int>)[.. Enumerable.Range(0, 3).Select(j => confusion[k, j])])]);
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
