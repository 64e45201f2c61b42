using Microsoft.ML.Trainers.LightGbm;
using WineFunctions.Data;
using WineFunctions.Models;
using WineFunctions.Training;

namespace WineFunctions.Benchmarks;

/// <summary>
/// LightGBM knobs the shape searches left at their defaults (bins per feature, L1, minimum split gain,
/// depth, minimum hessian per leaf, softmax instead of one-versus-all), each moved alone on the
/// 1,200-tree model, under the card's nested protocol and cut points on fold seeds 201-203 (the
/// shape search's seeds, so that choosing among them cannot touch the card's).
/// </summary>
internal static class KnobTune
{
    public static void Run(IReadOnlyList<LabelledMeasurements> training)
    {
        var best = TrainerSettings.Tuned with { Iterations = 400, LearningRate = 0.02 };
        var ships = TrainerSettings.Tuned;
        Console.WriteLine("fold seeds 201-203");
        NestedTune.PrintCutPointHeader();
        foreach (var (name, settings, knob) in new (string, TrainerSettings, Action<LightGbmMulticlassTrainer.Options>)[]
        {
            ("L31, 400 it, lr 0.02 (control)", best, _ => { }),
            ("same, 63 bins per feature", best, o => o.MaximumBinCountPerFeature = 63),
            ("same, 31 bins per feature", best, o => o.MaximumBinCountPerFeature = 31),
            ("same, 1023 bins per feature", best, o => o.MaximumBinCountPerFeature = 1023),
            ("same, L1 1", best, o => o.Booster = Booster(best, b => b.L1Regularization = 1)),
            ("same, minimum split gain 0.1", best, o => o.Booster = Booster(best, b => b.MinimumSplitGain = 0.1)),
            ("same, minimum split gain 1", best, o => o.Booster = Booster(best, b => b.MinimumSplitGain = 1)),
            ("same, depth at most 6", best, o => o.Booster = Booster(best, b => b.MaximumTreeDepth = 6)),
            ("same, minimum hessian per leaf 1", best, o => o.Booster = Booster(best, b => b.MinimumChildWeight = 1)),
            // ML.NET leaves UseSoftmax unset and, on data this small, picks LightGBM's one-versus-all objective itself.
            ("same, one-versus-all set explicitly", best, o => o.UseSoftmax = false),
            ("same, softmax", best, o => o.UseSoftmax = true),
            ("L31, 200 it, lr 0.04 (ships)", ships, _ => { }),
            ("same, softmax", ships, o => o.UseSoftmax = true),
        })
        {
            NestedTune.PrintCutPointRow(training, name, settings.Iterations * 3, NestedTune.Fit(settings, knob), seeds: [201, 202, 203]);
        }
    }

    private static GradientBooster.Options Booster(TrainerSettings settings, Action<GradientBooster.Options> knob)
    {
        var booster = LightGbmKnobs.Booster(new GradientBooster.Options(), settings);
        knob(booster);
        return booster;
    }
}
