namespace WineFunctions.Prediction;
/// <summary>Predicts every sample of one raw sample object and writes its predictions object.</summary>
public interface IRawObjectPredictor
{
    /// <returns>What was written, or null when the raw object no longer exists (logged and skipped, not retried).</returns>
    Task<PredictionsWritten?> PredictObjectAsync(string rawSampleKey, CancellationToken cancellationToken);
}
public sealed record PredictionsWritten(string RawSampleKey, string PredictionsKey, int Samples, int Rejected, int ModelVersion);
