using System.Collections.Concurrent;
using WineFunctions.Lake;
using WineFunctions.Prediction;

namespace WineFunctions.Tests.Predict;

/// <summary>
/// Reads and parses each raw object from a real lake, as the champion-model predictor does first, and
/// counts its samples; it predicts nothing. Lets the handler be tested before scoring is wired in.
/// </summary>
internal sealed class LakeReadingPredictor(IObjectStore lake) : IRawObjectPredictor
{
    public ConcurrentQueue<string> Keys { get; } = new();

    public async Task<PredictionsWritten?> PredictObjectAsync(string rawSampleKey, CancellationToken cancellationToken)
    {
        Keys.Enqueue(rawSampleKey);
        if (await lake.GetAsync(rawSampleKey, cancellationToken) is not { } stored)
        {
            return null;
        }
        var samples = await SampleParquet.ReadAsync(stored.Content, cancellationToken);
        return new PredictionsWritten(rawSampleKey, LakeLayout.PredictionsFor(rawSampleKey), samples.Count, 0, 0);
    }
}
