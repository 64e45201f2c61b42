using Google.Protobuf;
using WineFunctions.Models;
using WineFunctions.Samples;

namespace WineFunctions.Prediction;

/// <summary>
/// A model version loaded for scoring: its ONNX export compiled into flat tree arrays
/// (<see cref="CompiledTrees"/>) and scored over whole batches, which is what makes batch scoring
/// fast and the cold start short, with no native runtime to load. The class comes from the
/// probabilities by the card's decision rule, the same everywhere the model predicts. Thread-safe:
/// scoring reads the arrays only.
/// </summary>
public sealed class SampleClassifier
{
    private static long s_loads;
    private readonly CompiledTrees _trees;

    /// <param name="decision">The card's cut points; null for a card without any (the most probable class).</param>
    /// <param name="trainingReference">The card's training-set bins, which drift is measured against; null when the card has none.</param>
    public SampleClassifier(byte[] onnx, int modelVersion, DecisionRule? decision, IReadOnlyList<MeasurementBins>? trainingReference = null)
    {
        try
        {
            _trees = CompiledTrees.FromOnnx(onnx);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"model version {modelVersion} is not a WineFunctions class model (ML.NET's LightGbm multiclass export): {e.Message}", e);
        }
        ModelVersion = modelVersion;
        Decision = decision;
        TrainingReference = trainingReference;
    }

    public int ModelVersion { get; }

    /// <summary>Counts loads in this process: a later load is the champion in use now, even an older version rolled back to.</summary>
    internal long LoadOrder { get; } = Interlocked.Increment(ref s_loads);

    public DecisionRule? Decision { get; }

    public IReadOnlyList<MeasurementBins>? TrainingReference { get; }

    /// <summary>The class of one sample's probabilities (good, better, best).</summary>
    public QualityClass Classify(ReadOnlySpan<float> probabilities) => QualityClasses.All[Decision.ClassIndex(probabilities)];

    /// <summary>Class probabilities (good, better, best) for <paramref name="rows"/> feature vectors laid end to end.</summary>
    public float[] Predict(float[] features, int rows)
    {
        var probabilities = new float[rows * 3];
        _trees.Predict(features, rows, probabilities);
        return probabilities;
    }
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
