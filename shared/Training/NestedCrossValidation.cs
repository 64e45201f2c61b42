using WineFunctions.Data;
using WineFunctions.Models;

namespace WineFunctions.Training;

/// <summary>Fits a model on the first rows and gives the class probabilities of the second; safe to call from several threads at once.</summary>
public delegate IReadOnlyList<float[]> FitAndPredict(IReadOnlyList<LabelledMeasurements> training, IReadOnlyList<LabelledMeasurements> scored);

/// <summary>One repeat's pooled out-of-fold figures: each fold decided by cut points tuned on its own training rows, and by the most probable class.</summary>
/// <param name="FoldMacroAccuracy">Each outer fold's own macro accuracy with its cut points.</param>
public sealed record RepeatFigures(ClassificationMetrics CutPoints, ClassificationMetrics MostProbable, IReadOnlyList<double> FoldMacroAccuracy);

/// <summary>
/// Repeated, nested, grouped cross-validation. Every split is over duplicate groups, stratified;
/// the fold seeds were never used for tuning; each outer fold's cut points are tuned on the
/// out-of-fold probabilities of an inner cross-validation of that fold's training rows, so no
/// decision is ever chosen on the rows it is scored on. Outer folds run in parallel, one per core.
/// </summary>
public static class NestedCrossValidation
{
    public static readonly IReadOnlyList<int> FoldSeeds = [101, 102, 103];
    public const int InnerFolds = 3;

    public static IReadOnlyList<RepeatFigures> Run(IReadOnlyList<LabelledMeasurements> rows, int folds, FitAndPredict fit, CancellationToken cancellationToken,
        IReadOnlyList<int>? seeds = null, int innerFolds = InnerFolds)
    {
        seeds ??= FoldSeeds;
        var assignments = seeds.Select(seed => GroupedFolds.Assign(rows, folds, seed)).ToList();
        var jobs = Enumerable.Range(0, seeds.Count).SelectMany(r => Enumerable.Range(0, folds).Select(k => (Repeat: r, Fold: k))).ToList();
        var outcomes = new (int[] Rows, IReadOnlyList<float[]> Probabilities, DecisionRule Rule)[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, j =>
        {
            var (repeat, fold) = jobs[j];
            var inFold = assignments[repeat];
            var training = rows.Where((_, i) => inFold[i] != fold).ToList();
            var tested = Enumerable.Range(0, rows.Count).Where(i => inFold[i] == fold).ToArray();
            var inner = OutOfFold(training, GroupedFolds.Assign(training, innerFolds, seeds[repeat] * 10 + fold), innerFolds, fit, cancellationToken);
            var rule = DecisionRule.Tune([.. training.Select(r => r.Class)], inner);
            outcomes[j] = (tested, fit(training, [.. tested.Select(i => rows[i])]), rule);
        });
        return [.. Enumerable.Range(0, seeds.Count).Select(repeat =>
        {
            var probabilities = new float[rows.Count][];
            var decided = new int[rows.Count];
            foreach (var (tested, predicted, rule) in outcomes.Where((_, j) => jobs[j].Repeat == repeat))
            {
                for (var n = 0; n < tested.Length; n++)
                {
                    probabilities[tested[n]] = predicted[n];
                    decided[tested[n]] = rule.Decide(predicted[n]);
                }
            }
            var actual = rows.Select(r => r.Class).ToList();
            var perFold = outcomes.Where((_, j) => jobs[j].Repeat == repeat)
                .Select(o => ClassificationMetrics.From([.. o.Rows.Select(i => actual[i])], o.Probabilities, [.. o.Rows.Select(i => decided[i])]).MacroAccuracy)
                .ToList();
            return new RepeatFigures(ClassificationMetrics.From(actual, probabilities, decided), ClassificationMetrics.From(actual, probabilities), perFold);
        })];
    }

    /// <summary>The probabilities of every row from the model fitted on the other folds.</summary>
    public static float[][] OutOfFold(IReadOnlyList<LabelledMeasurements> rows, int[] assigned, int folds, FitAndPredict fit, CancellationToken cancellationToken)
    {
        var probabilities = new float[rows.Count][];
        for (var fold = 0; fold < folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tested = Enumerable.Range(0, rows.Count).Where(i => assigned[i] == fold).ToArray();
            var predicted = fit([.. rows.Where((_, i) => assigned[i] != fold)], [.. tested.Select(i => rows[i])]);
            for (var n = 0; n < tested.Length; n++)
            {
                probabilities[tested[n]] = predicted[n];
            }
        }
        return probabilities;
    }
}
