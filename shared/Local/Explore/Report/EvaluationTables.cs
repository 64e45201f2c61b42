using System.Globalization;
using WineFunctions.Models;
using WineFunctions.Registry;

namespace WineFunctions.Explore.Report;

/// <summary>
/// The champion's evaluation under both protocols, side by side: ours (grouped, repeated, nested)
/// with its baselines, and Cortez et al.'s (per colour, random folds) against their SVM, with the
/// cut points the model decides by. Cards from before these were measured say so.
/// </summary>
internal static class EvaluationTables
{
    public static void Add(ReportSection section, ModelCard card)
    {
        section.Notes.Add(card.Decision is { } rule
            ? string.Create(CultureInfo.InvariantCulture, $"Decision: P(better) + 2 P(best) below {rule.LowerCut:0.000} is good, below {rule.UpperCut:0.000} better, else best (cut points tuned for macro accuracy on out-of-fold rows).")
            : "Decision: the most probable class (a card from before cut points were tuned).");
        if (card.Evaluation.Repeated is { } repeated)
        {
            section.Tables.Add(new ReportTable($"Our protocol: {repeated.Protocol}",
                ["model", "macro accuracy, mean ± sd of the repeats", "per repeat", "mean ± sd of the single folds", "micro accuracy", "log-loss"],
                [.. repeated.Models.Select(m => (IReadOnlyList<string>)
                [
                    m.Model, F($"{m.Mean:0.000} ± {m.StandardDeviation:0.000}"), string.Join(" / ", m.MacroAccuracy.Select(a => F($"{a:0.000}"))),
                    m.PerFold is { Count: > 0 } folds ? F($"{folds.Average():0.000} ± {RepeatedScore.StandardDeviationOf(folds):0.000} ({folds.Count} folds)") : "",
                    F($"{m.MicroAccuracy:0.000}"), F($"{m.LogLoss:0.000}"),
                ])]));
        }
        if (card.Evaluation.Cortez is { } cortez)
        {
            section.Tables.Add(new ReportTable($"Cortez et al.'s protocol: {cortez.Protocol}", ["colour", "rows", "within 0.5", "SVM within 0.5", "within 1.0", "SVM within 1.0"],
                [.. cortez.Colours.Select(c => (IReadOnlyList<string>)
                [
                    c.Colour, F($"{c.Rows:N0}"), F($"{c.WithinHalf:0.000}"), F($"{c.PaperSvmWithinHalf:0.000}"), F($"{c.WithinOne:0.000}"), F($"{c.PaperSvmWithinOne:0.000}"),
                ])]));
        }
        if (card.Evaluation.Repeated is null)
        {
            section.Notes.Add("Its card has no repeated cross-validation (a model trained before it was measured).");
        }
        else if (card.Evaluation.Cortez is null)
        {
            section.Notes.Add("No comparison with Cortez et al.'s SVM: the model was trained on other rows than the UCI data their figures are of.");
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
