using WineFunctions.Lake;
using WineFunctions.Prediction;

namespace WineFunctions.Functions.Predict;

/// <summary>
/// Stands in until the champion model's scoring is wired in (see PredictFunction, LEAD): a missing raw
/// object is skipped as the real predictor does; an existing one fails the invocation, nothing is faked.
/// </summary>
internal sealed class UnwiredRawObjectPredictor(IObjectStore lake) : IRawObjectPredictor
{
    public async Task<PredictionsWritten?> PredictObjectAsync(string rawSampleKey, CancellationToken cancellationToken)
    {
        if (await lake.GetAsync(rawSampleKey, cancellationToken) is null)
        {
            return null;
        }
        throw new NotSupportedException($"This build of predict has no model scoring wired in: {rawSampleKey} was not predicted.");
    }
}
