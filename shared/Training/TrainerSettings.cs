namespace WineFunctions.Training;

/// <summary>
/// The LightGbm settings a model was trained with, recorded on its card. ML.NET's LightGbm
/// defaults differ from native LightGBM's, so every setting that matters is explicit; one thread
/// keeps fit times steady on a small machine (0.3 s instead of 0.2-9.6 s on 2 cores).
/// </summary>
public sealed record TrainerSettings
{
    public string Trainer { get; init; } = "LightGbmMulticlass";
    public int Leaves { get; init; } = 31;
    public int Iterations { get; init; } = 300;
    public double LearningRate { get; init; } = 0.05;
    public int MinimumRowsPerLeaf { get; init; } = 10;
    public double FeatureFraction { get; init; } = 0.8;
    public double RowSubsample { get; init; } = 0.8;

    /// <summary>Weights each row by the inverse of its class's share, so the rare best class counts as much as the others.</summary>
    public bool BalancedClassWeights { get; init; } = true;

    /// <summary>True for ML.NET's own LightGbm defaults (the comparison every run reports); the other settings are then ignored.</summary>
    public bool MlNetDefaults { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Chosen by grouped cross-validation on the UCI data (docs/training.md).</summary>
    public static TrainerSettings Tuned { get; } = new();

    public static TrainerSettings LightGbmDefaults { get; } = new() { MlNetDefaults = true, BalancedClassWeights = false };
}
