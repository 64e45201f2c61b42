namespace WineFunctions.Prediction;

/// <summary>
/// One row of a predictions object: the class and its probabilities by the model version named,
/// or, for a sample whose values are impossible, the rejection reason instead of a class.
/// </summary>
public sealed record SamplePrediction(
    string SampleId,
    string BatchId,
    string? PredictedClass,
    double? ProbabilityGood,
    double? ProbabilityBetter,
    double? ProbabilityBest,
    int ModelVersion,
    string? Rejection);
