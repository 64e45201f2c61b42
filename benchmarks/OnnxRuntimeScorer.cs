using Microsoft.ML.OnnxRuntime;
using WineFunctions.Models;

namespace WineFunctions.Benchmarks;

/// <summary>
/// The same ONNX file in ONNX Runtime, as the predict path scored it before the trees were
/// compiled (one session on every core, no spinning), for the comparison in the predict benchmark.
/// </summary>
internal sealed class OnnxRuntimeScorer : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxRuntimeScorer(byte[] onnx)
    {
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(onnx, options);
    }

    public float[] Predict(float[] features, int rows)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(features, [rows, ModelFeatures.Count]);
        using var run = new RunOptions();
        using var outputs = _session.Run(run, new Dictionary<string, OrtValue> { ["Features"] = input }, ["Score.output"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
