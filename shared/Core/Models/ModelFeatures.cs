using WineFunctions.Samples;

namespace WineFunctions.Models;

/// <summary>
/// The feature vector every model sees: the 11 measurements in <see cref="Measurement.All"/> order,
/// then the colour (red 0, white 1). Training and prediction build it here, so they cannot drift.
/// </summary>
public static class ModelFeatures
{
    public const int Count = 12;

    public static void Write(WineColour colour, IReadOnlyList<double> measurements, Span<float> features)
    {
        for (var i = 0; i < Measurement.All.Count; i++)
        {
            features[i] = (float)measurements[i];
        }
        features[Count - 1] = colour == WineColour.White ? 1f : 0f;
    }

    public static float[] Of(WineColour colour, IReadOnlyList<double> measurements)
    {
        var features = new float[Count];
        Write(colour, measurements, features);
        return features;
    }
}
