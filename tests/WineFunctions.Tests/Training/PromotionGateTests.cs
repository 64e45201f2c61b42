using WineFunctions.Samples;
using WineFunctions.Training;
using WineFunctions.Models;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Training;

[Trait(Categories.Name, Categories.Unit)]
public sealed class PromotionGateTests
{
    private static ClassificationMetrics Metrics(params (QualityClass Truth, QualityClass Predicted, int Count)[] cells) => ClassificationMetrics.From(
        [.. cells.SelectMany(c => Enumerable.Repeat(c.Truth, c.Count))],
        [.. cells.SelectMany(c => Enumerable.Repeat(QualityClasses.All.Select(q => q == c.Predicted ? 0.8f : 0.1f).ToArray(), c.Count))]);

    private static ModelEvaluation Candidate(ClassificationMetrics heldOut)
    {
        var baseline = Metrics((QualityClass.Good, QualityClass.Good, 10), (QualityClass.Better, QualityClass.Good, 10), (QualityClass.Best, QualityClass.Good, 10));
        return new("test", 30, 0, 0, 30, 5, heldOut, heldOut, baseline, baseline, []);
    }

    private static readonly ClassificationMetrics Champion = Metrics(
        (QualityClass.Good, QualityClass.Good, 8), (QualityClass.Good, QualityClass.Better, 2),
        (QualityClass.Better, QualityClass.Better, 6), (QualityClass.Better, QualityClass.Good, 4),
        (QualityClass.Best, QualityClass.Best, 6), (QualityClass.Best, QualityClass.Better, 4));

    [Fact]
    public void A_candidate_must_beat_the_champion_by_the_margin_and_keep_every_class_recall()
    {
        // Better on average (macro 0.733 vs 0.667) and no class worse: promoted.
        var better = Metrics((QualityClass.Good, QualityClass.Good, 8), (QualityClass.Good, QualityClass.Better, 2),
            (QualityClass.Better, QualityClass.Better, 8), (QualityClass.Better, QualityClass.Good, 2),
            (QualityClass.Best, QualityClass.Best, 6), (QualityClass.Best, QualityClass.Better, 4));
        Assert.True(PromotionGate.Decide(Candidate(better), Champion, 1).Promote);

        // Better on average only by giving up the best class: refused, naming it.
        var lopsided = Metrics((QualityClass.Good, QualityClass.Good, 10),
            (QualityClass.Better, QualityClass.Better, 10),
            (QualityClass.Best, QualityClass.Best, 4), (QualityClass.Best, QualityClass.Better, 6));
        var refused = PromotionGate.Decide(Candidate(lopsided), Champion, 1);
        Assert.False(refused.Promote);
        Assert.Contains("best recall 0.400 vs 0.600", refused.Reason);

        // A gain smaller than the margin: refused; with no margin it would pass.
        Assert.False(PromotionGate.Decide(Candidate(better), Champion, 1, new GateSettings { MinimumGain = 0.1 }).Promote);
        Assert.True(PromotionGate.Decide(Candidate(lopsided), Champion, 1, new GateSettings { MaximumRecallDrop = 0.3 }).Promote);
    }
}
