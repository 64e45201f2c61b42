using WineFunctions.Models;
using WineFunctions.Samples;

namespace WineFunctions.Training;

/// <summary>The gate's verdict on a candidate, with the figures it compared.</summary>
/// <param name="GainLowerBound">The lower confidence bound of the candidate's macro-accuracy gain over the champion; null for a first model.</param>
public sealed record GateDecision(bool Promote, string Reason, double CandidateMacroAccuracy, double? ChampionMacroAccuracy, double? GainLowerBound = null);

/// <summary>The gate's thresholds (configuration section <c>Training:Gate</c>).</summary>
public sealed record GateSettings
{
    /// <summary>What the lower confidence bound of the macro-accuracy gain over the champion must exceed.</summary>
    public double MinimumGain { get; init; }

    /// <summary>The one-sided confidence of that bound: at 0.95 a candidate no better than the champion is promoted about one time in twenty.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>The most any class's recall may fall against the champion's: a better average must not hide a class the model gave up on.</summary>
    public double MaximumRecallDrop { get; init; } = 0.05;

    public IReadOnlyList<string> Problems() =>
    [
        .. MinimumGain is < -1 or > 1 ? ["Training:Gate:MinimumGain must be between -1 and 1"] : Array.Empty<string>(),
        .. Confidence is < 0.5 or >= 1 ? ["Training:Gate:Confidence must be at least 0.5 and below 1"] : Array.Empty<string>(),
        .. MaximumRecallDrop is < 0 or > 1 ? ["Training:Gate:MaximumRecallDrop must be between 0 and 1"] : Array.Empty<string>(),
    ];
}

/// <summary>The true class of each of the candidate's held-out rows, and the class each model decided for it.</summary>
public sealed record HeldOutDecisions(IReadOnlyList<QualityClass> Actual, IReadOnlyList<int> Candidate, IReadOnlyList<int> Champion);

/// <summary>
/// Promotes a candidate only if it beats the majority-class baseline clearly and, on the same
/// held-out rows (the candidate's own held-out set, which the champion is scored on too), beats the
/// champion by more than the held-out set's noise: the lower confidence bound of the macro-accuracy
/// gain, from a paired bootstrap over those rows, must exceed the configured minimum, and no
/// class's recall may drop by more than the configured amount. On the UCI held-out fifth the gain's
/// standard error is about 0.01, so the old fixed 0.005 margin promoted noise.
/// </summary>
public static class PromotionGate
{
    /// <summary>Macro accuracy the candidate must add over always answering the commonest class.</summary>
    public const double MinimumGainOverBaseline = 0.05;

    private const int Resamples = 2000;

    public static GateDecision Decide(ModelEvaluation candidate, HeldOutDecisions? onSameRows, int? championVersion, GateSettings? settings = null)
    {
        settings ??= new GateSettings();
        var macro = candidate.HeldOut.MacroAccuracy;
        var floor = candidate.MajorityBaseline.MacroAccuracy + MinimumGainOverBaseline;
        if (macro < floor)
        {
            return new(false, $"held-out macro accuracy {macro:0.000} is below the majority baseline {candidate.MajorityBaseline.MacroAccuracy:0.000} + {MinimumGainOverBaseline}", macro, null);
        }
        if (onSameRows is null)
        {
            return new(true, $"first model: held-out macro accuracy {macro:0.000} beats the majority baseline {candidate.MajorityBaseline.MacroAccuracy:0.000}", macro, null);
        }
        var (mine, theirs) = (ClassificationMetrics.Recalls(onSameRows.Actual, onSameRows.Candidate),
            ClassificationMetrics.Recalls(onSameRows.Actual, onSameRows.Champion));
        var (gain, champion) = (ClassificationMetrics.MacroOf(mine) - ClassificationMetrics.MacroOf(theirs), ClassificationMetrics.MacroOf(theirs));
        macro = ClassificationMetrics.MacroOf(mine);
        var lower = GainLowerBound(onSameRows, settings.Confidence);
        var figures = $"held-out macro accuracy {macro:0.000} vs champion v{championVersion}'s {champion:0.000} on the same {onSameRows.Actual.Count} rows: "
            + $"gain {gain:+0.000;-0.000}, {settings.Confidence:0%} lower bound {lower:+0.000;-0.000} (paired bootstrap)";
        if (lower <= settings.MinimumGain)
        {
            return new(false, $"does not beat champion v{championVersion} beyond the held-out noise: {figures}, not above {settings.MinimumGain}", macro, champion, lower);
        }
        var drops = QualityClasses.All.Where(c => theirs[(int)c] - mine[(int)c] > settings.MaximumRecallDrop)
            .Select(c => $"{c.Name()} recall {mine[(int)c]:0.000} vs {theirs[(int)c]:0.000}")
            .ToList();
        return drops.Count > 0
            ? new(false, $"{figures}, but recall drops by more than {settings.MaximumRecallDrop}: {string.Join(", ", drops)}", macro, champion, lower)
            : new(true, $"{figures}, above {settings.MinimumGain}; no class's recall down more than {settings.MaximumRecallDrop}", macro, champion, lower);
    }

    /// <summary>The gain's lower bound at <paramref name="confidence"/>: rows are resampled with replacement, both models scored on each resample.</summary>
    public static double GainLowerBound(HeldOutDecisions rows, double confidence)
    {
        var random = new Random(1);
        var gains = new double[Resamples];
        var drawn = new int[rows.Actual.Count];
        for (var b = 0; b < Resamples; b++)
        {
            for (var n = 0; n < drawn.Length; n++)
            {
                drawn[n] = random.Next(drawn.Length);
            }
            var actual = drawn.Select(i => rows.Actual[i]).ToList();
            gains[b] = ClassificationMetrics.MacroOf(ClassificationMetrics.Recalls(actual, [.. drawn.Select(i => rows.Candidate[i])]))
                - ClassificationMetrics.MacroOf(ClassificationMetrics.Recalls(actual, [.. drawn.Select(i => rows.Champion[i])]));
        }
        Array.Sort(gains);
        return gains[Math.Clamp((int)Math.Floor((1 - confidence) * Resamples), 0, Resamples - 1)];
    }
}
