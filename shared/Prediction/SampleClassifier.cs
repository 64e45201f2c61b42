using Microsoft.ML.OnnxRuntime;
using WineFunctions.Models;
using WineFunctions.Samples;

namespace WineFunctions.Prediction;

/// <summary>
/// A model version loaded for scoring: the ONNX export of the ML.NET model, run by ONNX Runtime
/// over whole batches (one tensor per batch), which is what makes batch scoring fast and the
/// cold start short. The class comes from the probabilities by the card's decision rule, the same
/// everywhere the model predicts. Thread-safe: ONNX Runtime sessions allow concurrent runs.
/// </summary>
public sealed class SampleClassifier : IDisposable
{
    private const string Input = "Features";
    private const string Probabilities = "Score.output";
    private readonly InferenceSession _session;

    /// <param name="decision">The card's cut points; null for a card without any (the most probable class).</param>
    public SampleClassifier(byte[] onnx, int modelVersion, DecisionRule? decision)
    {
        // Every core for a batch's rows (measured here: 57k instead of 30k samples/s on 2 cores), without
        // threads spinning between runs, which a Lambda would pay for.
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(onnx, options);
        ModelVersion = modelVersion;
        Decision = decision;
        if (!_session.InputMetadata.ContainsKey(Input) || !_session.OutputMetadata.ContainsKey(Probabilities))
        {
            throw new InvalidDataException($"model version {modelVersion} is not a WineFunctions class model: it needs input '{Input}' and output '{Probabilities}'");
        }
    }

    public int ModelVersion { get; }

    public DecisionRule? Decision { get; }

    /// <summary>The class of one sample's probabilities (good, better, best).</summary>
    public QualityClass Classify(ReadOnlySpan<float> probabilities) => QualityClasses.All[Decision.ClassIndex(probabilities)];

    /// <summary>Class probabilities (good, better, best) for <paramref name="rows"/> feature vectors laid end to end.</summary>
    public float[] Predict(float[] features, int rows)
    {
        if (rows == 0)
        {
            return [];
        }
        using var input = OrtValue.CreateTensorValueFromMemory(features, [rows, ModelFeatures.Count]);
        using var run = new RunOptions();
        using var outputs = _session.Run(run, new Dictionary<string, OrtValue> { [Input] = input }, [Probabilities]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}

public static class SampleClassifierExtensions
{
    /// <summary>One probability triple (good, better, best) per labelled row.</summary>
    public static IReadOnlyList<float[]> PredictRows(this SampleClassifier classifier, IReadOnlyList<WineFunctions.Data.LabelledMeasurements> rows)
    {
        var features = new float[rows.Count * ModelFeatures.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            ModelFeatures.Write(rows[i].Colour, rows[i].Values, features.AsSpan(i * ModelFeatures.Count, ModelFeatures.Count));
        }
        var probabilities = classifier.Predict(features, rows.Count);
        return [.. Enumerable.Range(0, rows.Count).Select(i => probabilities[(i * 3)..(i * 3 + 3)])];
    }
}
