using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using WineFunctions.Samples;

namespace WineFunctions.Simulation;

/// <summary>One cask's wine: its colour, the class it was drawn from and its true measurements.</summary>
public sealed record BatchProfile(string BatchId, WineColour Colour, QualityClass Class, double[] Centre);

/// <summary>
/// Draws realistic measurements from a <see cref="SampleModel"/>. A batch's true chemistry is a
/// draw from its colour and class's multivariate normal; each sample of the batch adds a small
/// measurement error (5% of the class covariance), is clamped to what is physically possible
/// and rounded to the precision of the lab instruments behind the UCI data.
/// </summary>
public sealed class SampleGenerator
{
    // Decimals the UCI data reports for each measurement, in Measurement.All order.
    private static readonly int[] Decimals = [1, 3, 2, 1, 3, 0, 0, 5, 2, 2, 1];
    private const double MeasurementErrorShare = 0.05;

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

    /// <summary>A new batch: a colour by the model's red share, then a class by that colour's class shares.</summary>
    public BatchProfile DrawBatch(string batchId)
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
        return DrawBatch(batchId, colour, chosen.Class);
    }

    public BatchProfile DrawBatch(string batchId, WineColour colour, QualityClass quality)
    {
        var mean = _model.For(colour, quality).Mean;
        var deviation = Correlated(colour, quality, Math.Sqrt(1 - MeasurementErrorShare));
        return new BatchProfile(batchId, colour, quality, mean.Select((m, i) => m + deviation[i]).ToArray());
    }

    /// <summary>The 11 measurements of one sample taken from the batch.</summary>
    public double[] DrawSample(BatchProfile batch)
    {
        var error = Correlated(batch.Colour, batch.Class, Math.Sqrt(MeasurementErrorShare));
        var values = new double[error.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Round(Measurement.All[i].Clamp(batch.Centre[i] + error[i]), Decimals[i]);
        }
        // Free sulfur dioxide is part of the total.
        values[5] = Math.Min(values[5], values[6]);
        return values;
    }

    // The two shares add up to the class covariance, so samples keep the UCI class distribution.
    private double[] Correlated(WineColour colour, QualityClass quality, double scale)
    {
        var standardNormal = Vector<double>.Build.Dense(Measurement.All.Count, _ => Normal.Sample(_random, 0, scale));
        return (_choleskyFactors[(colour, quality)] * standardNormal).ToArray();
    }
}
