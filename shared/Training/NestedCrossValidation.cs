using WineFunctions.Data;
using WineFunctions.Models;

namespace WineFunctions.Training;

/// <summary>Fits a model on the first rows and gives the class probabilities of the second; safe to call from several threads at once.</summary>
public delegate IReadOnlyList<float[]> FitAndPredict(IReadOnlyList<LabelledMeasurements> training, IReadOnlyList<LabelledMeasurements> scored);

/// <summary>One repeat's pooled out-of-fold figures: each fold decided by cut points tuned on its own training rows, and by the most probable class.</summary>
/// <param name="FoldMacroAccuracy">Each outer fold's own macro accuracy with its cut points.</param>
public sealed record RepeatFigures(ClassificationMetrics CutPoints, ClassificationMetrics MostProbable, IReadOnlyList<double> FoldMacroAccuracy);

/// <summary>One outer fold of one repeat, fitted.</summary>
/// <param name="Tested">The indices of the rows this fold scores.</param>
/// <param name="Inner">The inner out-of-fold probabilities of <paramref name="Training"/>, what a decision is tuned on.</param>
/// <param name="Predicted">The probabilities of the tested rows, from the model fitted on <paramref name="Training"/>.</param>
public sealed record OuterFold(int Repeat, IReadOnlyList<LabelledMeasurements> Training, int[] Tested, IReadOnlyList<float[]> Inner, IReadOnlyList<float[]> Predicted);

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
        var outerFolds = OuterFolds(rows, folds, fit, cancellationToken, seeds, innerFolds);
        var actual = rows.Select(r => r.Class).ToList();
        return [.. outerFolds.GroupBy(o => o.Repeat).Select(repeat =>
        {
            var probabilities = new float[rows.Count][];
            var decided = new int[rows.Count];
            var perFold = new List<double>();
            foreach (var outer in repeat)
            {
                var rule = DecisionRule.Tune([.. outer.Training.Select(r => r.Class)], outer.Inner);
                var foldDecided = outer.Predicted.Select(p => rule.Decide(p)).ToArray();
                for (var n = 0; n < outer.Tested.Length; n++)
                {
                    probabilities[outer.Tested[n]] = outer.Predicted[n];
                    decided[outer.Tested[n]] = foldDecided[n];
                }
                perFold.Add(ClassificationMetrics.From([.. outer.Tested.Select(i => actual[i])], outer.Predicted, foldDecided).MacroAccuracy);
            }
            return new RepeatFigures(ClassificationMetrics.From(actual, probabilities, decided), ClassificationMetrics.From(actual, probabilities), perFold);
        })];
    }

    /// <summary>
    /// Every repeat's outer folds, fitted: the probabilities of each fold's rows from the model fitted on
    /// the others, and the inner out-of-fold probabilities of those training rows that a decision is tuned on.
    /// In repeat order, each repeat's folds in order.
    /// </summary>
    public static OuterFold[] OuterFolds(IReadOnlyList<LabelledMeasurements> rows, int folds, FitAndPredict fit, CancellationToken cancellationToken,
        IReadOnlyList<int>? seeds = null, int innerFolds = InnerFolds)
    {
        seeds ??= FoldSeeds;
        var assignments = seeds.Select(seed => GroupedFolds.Assign(rows, folds, seed)).ToList();
        var jobs = Enumerable.Range(0, seeds.Count).SelectMany(r => Enumerable.Range(0, folds).Select(k => (Repeat: r, Fold: k))).ToList();
        var outerFolds = new OuterFold[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, j =>
        {
            var (repeat, fold) = jobs[j];
            var inFold = assignments[repeat];
            var training = rows.Where((_, i) => inFold[i] != fold).ToList();
            var tested = Enumerable.Range(0, rows.Count).Where(i => inFold[i] == fold).ToArray();
            var inner = OutOfFold(training, GroupedFolds.Assign(training, innerFolds, seeds[repeat] * 10 + fold), innerFolds, fit, cancellationToken);
            outerFolds[j] = new OuterFold(repeat, training, tested, inner, fit(training, [.. tested.Select(i => rows[i])]));
        });
        return outerFolds;
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
