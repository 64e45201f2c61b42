namespace WineFunctions.Models;

/// <summary>
/// One model under repeated cross-validation: its macro accuracy in each repeat (pooled over that
/// repeat's folds), their mean and standard deviation, and the mean micro accuracy and log-loss.
/// </summary>
public sealed record RepeatedScore(string Model, IReadOnlyList<double> MacroAccuracy, double Mean, double StandardDeviation, double MicroAccuracy, double LogLoss)
{
    public static RepeatedScore Of(string model, IReadOnlyList<ClassificationMetrics> repeats)
    {
        var macro = repeats.Select(r => r.MacroAccuracy).ToList();
        var mean = macro.Average();
        var sd = macro.Count < 2 ? 0 : Math.Sqrt(macro.Sum(m => (m - mean) * (m - mean)) / (macro.Count - 1));
        return new(model, macro, mean, sd, repeats.Average(r => r.MicroAccuracy), repeats.Average(r => r.LogLoss));
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
