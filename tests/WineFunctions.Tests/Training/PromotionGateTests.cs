using WineFunctions.Samples;
using WineFunctions.Training;
using WineFunctions.Models;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Training;

[Trait(Categories.Name, Categories.Unit)]
public sealed class PromotionGateTests
{
    /// <summary>Held-out rows as (truth, candidate's class, champion's class, how many), each count times <paramref name="scale"/>.</summary>
    private static HeldOutDecisions Rows(int scale, params (QualityClass Truth, QualityClass Candidate, QualityClass Champion, int Count)[] cells)
    {
        var rows = cells.SelectMany(c => Enumerable.Repeat(c, c.Count * scale)).ToList();
        return new([.. rows.Select(r => r.Truth)], [.. rows.Select(r => (int)r.Candidate)], [.. rows.Select(r => (int)r.Champion)]);
    }

    private static ModelEvaluation Candidate(HeldOutDecisions rows)
    {
        var heldOut = ClassificationMetrics.From(rows.Actual, [.. rows.Candidate.Select(_ => new float[3])], rows.Candidate);
        var baseline = ClassificationMetrics.From(rows.Actual, [.. rows.Actual.Select(_ => new[] { 1f, 0, 0 })]);
        return new("test", rows.Actual.Count, 0, 0, rows.Actual.Count, 5, heldOut, heldOut, baseline, baseline, []);
    }

    private static GateDecision Decide(HeldOutDecisions rows, GateSettings? settings = null) => PromotionGate.Decide(Candidate(rows), rows, 1, settings);

    private const QualityClass Good = QualityClass.Good, Better = QualityClass.Better, Best = QualityClass.Best;

    [Fact]
    public void A_clear_gain_with_every_class_kept_is_promoted_and_the_same_gain_on_few_rows_is_noise()
    {
        // The candidate gets 2 in 10 better rows right that the champion got wrong; nothing else differs: macro +0.067.
        (QualityClass, QualityClass, QualityClass, int)[] cells =
        [
            (Good, Good, Good, 8), (Good, Better, Better, 2),
            (Better, Better, Better, 6), (Better, Better, Good, 2), (Better, Good, Good, 2),
            (Best, Best, Best, 6), (Best, Better, Better, 4),
        ];
        var many = Decide(Rows(30, cells));
        Assert.True(many.Promote, many.Reason);
        Assert.InRange(many.ChampionMacroAccuracy!.Value, 0.666, 0.667);
        Assert.InRange(many.GainLowerBound!.Value, 0.03, 0.067);

        // The same gain on 30 rows: two rows decide it, and a resample often holds neither.
        var few = Decide(Rows(1, cells));
        Assert.False(few.Promote);
        Assert.Contains("does not beat champion v1 beyond the held-out noise", few.Reason);
        Assert.Contains("gain +0.067", few.Reason);

        // A required gain above what the bound shows refuses the clear case too.
        Assert.False(Decide(Rows(30, cells), new GateSettings { MinimumGain = 0.06 }).Promote);
    }

    [Fact]
    public void A_gain_that_gives_up_a_class_is_refused_naming_it()
    {
        // Better on average only by giving up the best class.
        var rows = Rows(30, (Good, Good, Good, 8), (Good, Good, Better, 2), (Better, Better, Better, 6), (Better, Better, Good, 4),
            (Best, Best, Best, 4), (Best, Better, Best, 2), (Best, Better, Better, 4));
        var refused = Decide(rows);
        Assert.False(refused.Promote);
        Assert.Contains("best recall 0.400 vs 0.600", refused.Reason);
        Assert.True(Decide(rows, new GateSettings { MaximumRecallDrop = 0.3 }).Promote);
    }

    [Fact]
    public void A_candidate_no_better_than_the_baseline_is_refused_even_as_the_first_model()
    {
        var rows = Rows(10, (Good, Good, Good, 10), (Better, Good, Good, 10), (Best, Good, Good, 10));
        var decision = PromotionGate.Decide(Candidate(rows), null, null);
        Assert.False(decision.Promote);
        Assert.Contains("below the majority baseline", decision.Reason);
    }
}
