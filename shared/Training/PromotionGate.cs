using WineFunctions.Models;

namespace WineFunctions.Training;

/// <summary>The gate's verdict on a candidate, with the figures it compared.</summary>
public sealed record GateDecision(bool Promote, string Reason, double CandidateMacroAccuracy, double? ChampionMacroAccuracy);

/// <summary>The gate's thresholds (configuration section <c>Training:Gate</c>).</summary>
public sealed record GateSettings
{
    /// <summary>Macro accuracy the candidate must add over the champion on the same rows.</summary>
    public double MinimumGain { get; init; } = 0.005;

    /// <summary>The most any class's recall may fall against the champion's: a better average must not hide a class the model gave up on.</summary>
    public double MaximumRecallDrop { get; init; } = 0.05;

    public IReadOnlyList<string> Problems() =>
    [
        .. MinimumGain is < -1 or > 1 ? ["Training:Gate:MinimumGain must be between -1 and 1"] : Array.Empty<string>(),
        .. MaximumRecallDrop is < 0 or > 1 ? ["Training:Gate:MaximumRecallDrop must be between 0 and 1"] : Array.Empty<string>(),
    ];
}

/// <summary>
/// Promotes a candidate only if it beats the majority-class baseline clearly and, on the same
/// held-out rows (the candidate's own held-out set, which the champion is scored on too), beats the
/// champion's macro accuracy by the configured margin without any class's recall dropping by more
/// than the configured amount. Otherwise the candidate stays a registered version with the reason.
/// </summary>
public static class PromotionGate
{
    /// <summary>Macro accuracy the candidate must add over always answering the commonest class.</summary>
    public const double MinimumGainOverBaseline = 0.05;

    public static GateDecision Decide(ModelEvaluation candidate, ClassificationMetrics? championOnSameRows, int? championVersion, GateSettings? settings = null)
    {
        settings ??= new GateSettings();
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
        var rows = $"on the same {candidate.HeldOutRows} rows";
        if (macro < champion + settings.MinimumGain)
        {
            return new(false, $"held-out macro accuracy {macro:0.000} does not beat champion v{championVersion}'s {champion:0.000} by {settings.MinimumGain} {rows}", macro, champion);
        }
        var drops = candidate.HeldOut.PerClass.Zip(championOnSameRows.PerClass)
            .Where(pair => pair.Second.Recall - pair.First.Recall > settings.MaximumRecallDrop)
            .Select(pair => $"{pair.First.Class} recall {pair.First.Recall:0.000} vs {pair.Second.Recall:0.000}")
            .ToList();
        return drops.Count > 0
            ? new(false, $"held-out macro accuracy {macro:0.000} beats champion v{championVersion}'s {champion:0.000}, but recall drops by more than {settings.MaximumRecallDrop}: {string.Join(", ", drops)} {rows}", macro, champion)
            : new(true, $"held-out macro accuracy {macro:0.000} beats champion v{championVersion}'s {champion:0.000} by at least {settings.MinimumGain}, no class's recall down more than {settings.MaximumRecallDrop}, {rows}", macro, champion);
    }
}
