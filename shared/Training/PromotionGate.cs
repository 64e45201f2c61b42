namespace WineFunctions.Training;

/// <summary>The gate's verdict on a candidate, with the figures it compared.</summary>
public sealed record GateDecision(bool Promote, string Reason, double CandidateMacroAccuracy, double? ChampionMacroAccuracy);

/// <summary>
/// Promotes a candidate only if it beats the majority-class baseline clearly and is at least as
/// good as the champion on the same held-out rows (the candidate's own held-out set, which the
/// champion is scored on too, so both face identical rows).
/// </summary>
public static class PromotionGate
{
    /// <summary>Macro accuracy the candidate must add over always answering the commonest class.</summary>
    public const double MinimumGainOverBaseline = 0.05;

    public static GateDecision Decide(ModelEvaluation candidate, ClassificationMetrics? championOnSameRows, int? championVersion)
    {
        var macro = candidate.HeldOut.MacroAccuracy;
        var floor = candidate.MajorityBaseline.MacroAccuracy + MinimumGainOverBaseline;
        if (macro < floor)
        {
            return new(false, $"held-out macro accuracy {macro:0.000} is below the majority baseline {candidate.MajorityBaseline.MacroAccuracy:0.000} + {MinimumGainOverBaseline}", macro, championOnSameRows?.MacroAccuracy);
        }
        if (championOnSameRows is null)
        {
            return new(true, $"first model: held-out macro accuracy {macro:0.000} beats the majority baseline {candidate.MajorityBaseline.MacroAccuracy:0.000}", macro, null);
        }
        var champion = championOnSameRows.MacroAccuracy;
        return macro >= champion
            ? new(true, $"held-out macro accuracy {macro:0.000} >= champion v{championVersion}'s {champion:0.000} on the same {candidate.HeldOutRows} rows", macro, champion)
            : new(false, $"held-out macro accuracy {macro:0.000} < champion v{championVersion}'s {champion:0.000} on the same {candidate.HeldOutRows} rows", macro, champion);
    }
}
