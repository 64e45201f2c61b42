namespace WineFunctions.Models;

/// <summary>
/// One model under repeated cross-validation: its macro accuracy in each repeat (pooled over that
/// repeat's folds), their mean and standard deviation, and the mean micro accuracy and log-loss.
/// <paramref name="PerFold"/> is each single fold's macro accuracy (repeats × folds), the statistic
/// an audit that compares fold by fold reports; none on cards from before it was kept.
/// </summary>
public sealed record RepeatedScore(string Model, IReadOnlyList<double> MacroAccuracy, double Mean, double StandardDeviation, double MicroAccuracy, double LogLoss,
    IReadOnlyList<double>? PerFold = null)
{
    public static RepeatedScore Of(string model, IReadOnlyList<ClassificationMetrics> repeats, IReadOnlyList<double>? perFold = null)
    {
        var macro = repeats.Select(r => r.MacroAccuracy).ToList();
        return new(model, macro, macro.Average(), StandardDeviationOf(macro), repeats.Average(r => r.MicroAccuracy), repeats.Average(r => r.LogLoss), perFold);
    }

    /// <summary>The sample standard deviation (n - 1); 0 for fewer than two values.</summary>
    public static double StandardDeviationOf(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Count < 2 ? 0 : Math.Sqrt(values.Sum(m => (m - mean) * (m - mean)) / (values.Count - 1));
    }
}

/// <summary>
/// Our protocol: stratified folds over duplicate groups, repeated on fold seeds no tuning ever
/// used, and nested: each outer fold's cut points come from an inner cross-validation of that
/// fold's training rows only. The first model is the one that ships; the others went through the
/// same folds as baselines.
/// </summary>
public sealed record RepeatedCrossValidation(string Protocol, IReadOnlyList<int> FoldSeeds, int Folds, int InnerFolds, IReadOnlyList<RepeatedScore> Models);

/// <summary>
/// Cortez et al. 2009's protocol, for a like-for-like comparison with their SVM: one score
/// regression per colour, rows dealt to folds at random within their score (duplicates may
/// straddle a split), the tolerance accuracies averaged over the repeats.
/// </summary>
public sealed record CortezComparison(string Protocol, int Repeats, int Folds, IReadOnlyList<ScoreTolerance> Colours);
