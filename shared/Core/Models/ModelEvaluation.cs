namespace WineFunctions.Models;

/// <summary>
/// The evaluation stored with every model. Identical rows never straddle a split; the held-out
/// set is scored once, by the model that ships; the baselines went through the same folds.
/// </summary>
public sealed record ModelEvaluation(
    string Protocol,
    int Rows,
    int DuplicateRows,
    int TrainingRows,
    int HeldOutRows,
    int Folds,
    ClassificationMetrics HeldOut,
    ClassificationMetrics CrossValidated,
    ClassificationMetrics MajorityBaseline,
    ClassificationMetrics LightGbmDefaults,
    IReadOnlyList<ScoreTolerance> Tolerance)
{
    public HeadlineMetrics Headline => new(HeldOut.MacroAccuracy, HeldOut.MicroAccuracy, HeldOut.LogLoss,
        CrossValidated.MacroAccuracy, MajorityBaseline.MacroAccuracy, LightGbmDefaults.MacroAccuracy, HeldOut.ExpectedCalibrationError);
}

/// <summary>The figures a promotion compares and a listing shows.</summary>
/// <param name="CalibrationError">The held-out expected calibration error; null on cards from before it was measured.</param>
public sealed record HeadlineMetrics(double MacroAccuracy, double MicroAccuracy, double LogLoss,
    double CrossValidatedMacroAccuracy, double BaselineMacroAccuracy, double DefaultsMacroAccuracy, double? CalibrationError = null);
