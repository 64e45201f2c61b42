using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using WineFunctions.Samples;

namespace WineFunctions.Simulation;

/// <summary>Measurements drawn from one class, and the class they were drawn from.</summary>
public sealed record DrawnMeasurements(WineColour Colour, QualityClass Class, double[] Values);

/// <summary>
/// Draws realistic measurements from a <see cref="SampleModel"/>: a multivariate normal per
/// colour and class, clamped to what is physically possible and rounded to the precision of
/// the lab instruments that produced the UCI data.
/// </summary>
public sealed class SampleGenerator
{
    // Decimals the UCI data reports for each measurement, in Measurement.All order.
    private static readonly int[] Decimals = [1, 3, 2, 1, 3, 0, 0, 5, 2, 2, 1];

    private readonly SampleModel _model;
    private readonly Random _random;
    private readonly Dictionary<(WineColour, QualityClass), Matrix<double>> _choleskyFactors;

    public SampleGenerator(SampleModel model, Random random)
    {
        _model = model;
        _random = random;
        _choleskyFactors = model.Classes.ToDictionary(
            c => (c.Colour, c.Class),
            c => Matrix<double>.Build.DenseOfArray(c.Covariance()).Cholesky().Factor);
    }

    /// <summary>A colour by the model's red share, then a class by that colour's class shares.</summary>
    public DrawnMeasurements Draw()
    {
        var colour = _random.NextDouble() < _model.RedShare ? WineColour.Red : WineColour.White;
        var pick = _random.NextDouble();
        var classes = _model.Classes.Where(c => c.Colour == colour).ToList();
        var chosen = classes[^1];
        foreach (var c in classes)
        {
            if ((pick -= c.Share) < 0)
            {
                chosen = c;
                break;
            }
        }
        return Draw(colour, chosen.Class);
    }

    public DrawnMeasurements Draw(WineColour colour, QualityClass quality)
    {
        var classModel = _model.For(colour, quality);
        var standardNormal = Vector<double>.Build.Dense(classModel.Mean.Length, _ => Normal.Sample(_random, 0, 1));
        var values = (_choleskyFactors[(colour, quality)] * standardNormal).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Round(Measurement.All[i].Clamp(classModel.Mean[i] + values[i]), Decimals[i]);
        }
        // Free sulfur dioxide is part of the total.
        values[5] = Math.Min(values[5], values[6]);
        return new DrawnMeasurements(colour, quality, values);
    }
}
