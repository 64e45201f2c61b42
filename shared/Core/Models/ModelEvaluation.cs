namespace WineFunctions.Models;

/// <summary>
/// The evaluation stored with every model. Identical rows never straddle a split; the held-out
/// set is scored once, by the model that ships; the baselines went through the same folds.
/// </summary>
/// <param name="Repeated">Our protocol, repeated and nested (mean ± sd); null on cards from before it.</param>
/// <param name="Cortez">The paper's protocol, for the comparison with its SVM; null on cards from before it.</param>
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
    IReadOnlyList<ScoreTolerance> Tolerance,
    RepeatedCrossValidation? Repeated = null,
    CortezComparison? Cortez = null)
{
    public HeadlineMetrics Headline => new(HeldOut.MacroAccuracy, HeldOut.MicroAccuracy, HeldOut.LogLoss,
        Repeated?.Models[0].Mean ?? CrossValidated.MacroAccuracy, MajorityBaseline.MacroAccuracy, LightGbmDefaults.MacroAccuracy, HeldOut.ExpectedCalibrationError);
}

/// <summary>The figures a promotion compares and a listing shows.</summary>
/// <param name="CalibrationError">The held-out expected calibration error; null on cards from before it was measured.</param>
public sealed record HeadlineMetrics(double MacroAccuracy, double MicroAccuracy, double LogLoss,
    double CrossValidatedMacroAccuracy, double BaselineMacroAccuracy, double DefaultsMacroAccuracy, double? CalibrationError = null);
