using System.Text;
using WineFunctions.Data;
using WineFunctions.Samples;
using WineFunctions.Simulation;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>Labelled data sets for training tests that must not depend on the UCI files.</summary>
internal static class TrainingData
{
    /// <summary>Rows drawn by the simulator from its class models; the score is 5, 6 or 7 by class.</summary>
    public static IReadOnlyList<LabelledMeasurements> Simulated(int rows, int seed)
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(seed));
        return [.. Enumerable.Range(0, rows).Select(i =>
        {
            var batch = generator.DrawBatch($"b{i}");
            return new LabelledMeasurements(batch.Colour, generator.DrawSample(batch), batch.Class switch
            {
                QualityClass.Good => 5,
                QualityClass.Better => 6,
                _ => 7,
            });
        })];
    }

    /// <summary>The rows as a UCI-style CSV with a colour column.</summary>
    public static byte[] Csv(IEnumerable<LabelledMeasurements> rows) => Encoding.UTF8.GetBytes(UciWineQuality.Write(rows));
}
