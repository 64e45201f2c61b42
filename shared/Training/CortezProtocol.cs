using WineFunctions.Data;
using WineFunctions.Models;
using WineFunctions.Samples;

namespace WineFunctions.Training;

/// <summary>
/// Cortez et al. 2009's evaluation, so our score model can be compared with their SVM like for
/// like: one regression on the 0-10 score per colour, rows dealt to folds at random within their
/// score (duplicates free to straddle a split, as in the paper), and the share of wines whose
/// predicted score is within 0.5 and 1.0 of the tasters', averaged over the repeats.
/// </summary>
public static class CortezProtocol
{
    /// <summary>The paper's SVM, within 0.5 and within 1.0, per colour.</summary>
    public static readonly IReadOnlyList<(WineColour Colour, double WithinHalf, double WithinOne)> PaperSvm =
        [(WineColour.Red, 0.624, 0.890), (WineColour.White, 0.646, 0.868)];

    /// <param name="colours">The colours to compare: those whose rows are the paper's (<see cref="UciFingerprint"/>).</param>
    public static CortezComparison Run(IReadOnlyList<LabelledMeasurements> rows, IReadOnlySet<WineColour> colours, TrainerSettings settings, int folds,
        IReadOnlyList<int> seeds, CancellationToken cancellationToken)
    {
        var paperSvm = PaperSvm.Where(p => colours.Contains(p.Colour)).ToList();
        var jobs = paperSvm.SelectMany(paper => seeds.Select(seed => (paper.Colour, Seed: seed))).ToList();
        var within = new (double Half, double One)[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, j =>
        {
            var of = rows.Where(r => r.Colour == jobs[j].Colour).ToList();
            var predicted = OutOfFoldScores(of, RandomFolds(of, folds, jobs[j].Seed), folds, settings, cancellationToken);
            within[j] = (Within(of, predicted, 0.5), Within(of, predicted, 1.0));
        });
        return new CortezComparison(
            $"Cortez et al. 2009: one {settings.Trainer} per colour, {folds} folds dealt at random within each score (duplicates may straddle), {seeds.Count} repeats on fold seeds {string.Join(", ", seeds)}",
            seeds.Count, folds,
            [.. paperSvm.Select(paper =>
            {
                var mine = within.Where((_, j) => jobs[j].Colour == paper.Colour).ToList();
                return new ScoreTolerance(paper.Colour.Name(), rows.Count(r => r.Colour == paper.Colour),
                    mine.Average(w => w.Half), mine.Average(w => w.One), paper.WithinHalf, paper.WithinOne);
            })]);
    }

    /// <summary>The share of rows whose predicted score is within <paramref name="tolerance"/> of the tasters'.</summary>
    public static double Within(IReadOnlyList<LabelledMeasurements> rows, IReadOnlyList<float> predicted, double tolerance) =>
        rows.Count == 0 ? 0 : (double)Enumerable.Range(0, rows.Count).Count(i => Math.Abs(predicted[i] - rows[i].Quality) <= tolerance) / rows.Count;

    /// <summary>The paper's folds: rows dealt at random within their score.</summary>
    public static int[] RandomFolds(IReadOnlyList<LabelledMeasurements> rows, int folds, int seed)
    {
        var random = new Random(seed);
        var assigned = new int[rows.Count];
        foreach (var byScore in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Quality))
        {
            var shuffled = byScore.ToArray();
            random.Shuffle(shuffled);
            for (var n = 0; n < shuffled.Length; n++)
            {
                assigned[shuffled[n]] = n % folds;
            }
        }
        return assigned;
    }

    /// <summary>Each row's score from the score model fitted on the other folds.</summary>
    public static float[] OutOfFoldScores(IReadOnlyList<LabelledMeasurements> rows, int[] assigned, int folds, TrainerSettings settings, CancellationToken cancellationToken)
    {
        var trainer = new WineModelTrainer(settings.Seed);
        var predicted = new float[rows.Count];
        for (var fold = 0; fold < folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tested = Enumerable.Range(0, rows.Count).Where(i => assigned[i] == fold).ToArray();
            var scores = trainer.PredictScores(trainer.FitScoreModel([.. rows.Where((_, i) => assigned[i] != fold)], settings), [.. tested.Select(i => rows[i])]);
            for (var n = 0; n < tested.Length; n++)
            {
                predicted[tested[n]] = scores[n];
            }
        }
        return predicted;
    }
}
