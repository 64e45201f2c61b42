using Microsoft.ML.Trainers.LightGbm;
using WineFunctions.Data;
using WineFunctions.Models;
using WineFunctions.Training;

namespace WineFunctions.Benchmarks;

/// <summary>
/// LightGBM's DART booster (trees dropped at random while boosting, so later trees do not only mend
/// the first ones) in place of plain gradient boosting, the shipped shape otherwise, under the card's
/// nested protocol and cut points.
/// </summary>
internal static class DartTune
{
    public static void Run(IReadOnlyList<LabelledMeasurements> training)
    {
        var tuned = TrainerSettings.Tuned;
        NestedTune.PrintCutPointHeader();
        foreach (var (name, settings, drop) in new[]
        {
            ("DART, drop 0.1, L31, 200 it, lr 0.04", tuned, 0.1),
            ("DART, drop 0.1, L31, 200 it, lr 0.1", tuned with { LearningRate = 0.1 }, 0.1),
            ("DART, drop 0.05, L31, 400 it, lr 0.05", tuned with { Iterations = 400, LearningRate = 0.05 }, 0.05),
        })
        {
            NestedTune.PrintCutPointRow(training, name, settings.Iterations * 3,
                NestedTune.Fit(settings, o => o.Booster = LightGbmKnobs.Booster(new DartBooster.Options { TreeDropFraction = drop }, settings)));
        }
    }
}
