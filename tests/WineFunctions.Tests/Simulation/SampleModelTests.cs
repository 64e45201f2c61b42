using WineFunctions.Data;
using WineFunctions.Samples;
using WineFunctions.Simulation;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Simulation;

[Trait(Categories.Name, Categories.Unit)]
public sealed class SampleModelTests
{
    /// <summary>Simulated class means must lie within this share of the UCI class standard deviation.</summary>
    private const double Tolerance = 0.10;

    [SkippableFact]
    public void Drawn_samples_of_each_class_have_the_UCI_class_means()
    {
        var rows = UciWineQuality.ReadFolder(TestData.WineQualityFolder());
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(7));
        var failures = new List<string>();
        foreach (var colour in new[] { WineColour.Red, WineColour.White })
        {
            foreach (var quality in QualityClasses.All)
            {
                var uci = rows.Where(r => r.Colour == colour && r.Class == quality).Select(r => r.Values).ToList();
                var (uciMean, uciCovariance) = SampleModelFit.MeanAndCovariance(uci);
                // As the simulator does it: many batches, a few samples from each.
                var drawn = Enumerable.Range(0, 4_000).SelectMany(b =>
                {
                    var batch = generator.DrawBatch($"b{b}", colour, quality);
                    return Enumerable.Range(0, 5).Select(_ => generator.DrawSample(batch));
                }).ToList();
                var (drawnMean, _) = SampleModelFit.MeanAndCovariance(drawn);
                for (var i = 0; i < Measurement.All.Count; i++)
                {
                    var sd = Math.Sqrt(uciCovariance[Diagonal(i)]);
                    var gap = Math.Abs(drawnMean[i] - uciMean[i]) / sd;
                    if (gap > Tolerance)
                    {
                        failures.Add($"{colour} {quality} {Measurement.All[i].Field}: simulated {drawnMean[i]:G5}, UCI {uciMean[i]:G5} ({gap:P0} of a standard deviation)");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [SkippableFact]
    public void The_figures_in_the_code_are_the_fit_of_the_UCI_data()
    {
        var fitted = SampleModelFit.Fit(UciWineQuality.ReadFolder(TestData.WineQualityFolder()));
        var embedded = SampleModelFigures.Uci;
        Assert.Equal(fitted.RedShare, embedded.RedShare, 1e-6);
        foreach (var c in fitted.Classes)
        {
            var e = embedded.For(c.Colour, c.Class);
            Assert.Equal(c.Share, e.Share, 1e-6);
            Assert.All(c.Mean.Zip(e.Mean), p => Assert.Equal(p.First, p.Second, Math.Abs(p.First) * 1e-6));
            Assert.All(c.CovarianceLowerTriangle.Zip(e.CovarianceLowerTriangle), p => Assert.Equal(p.First, p.Second, Math.Abs(p.First) * 1e-6 + 1e-15));
        }
    }

    [Fact]
    public void Drawn_samples_are_valid_and_physically_possible()
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(11));
        var now = DateTimeOffset.UtcNow;
        for (var b = 0; b < 2_000; b++)
        {
            var batch = generator.DrawBatch($"b-{b}");
            var sample = WineSample.Create($"s-{b}", batch.BatchId, "wh-01", "wh-01-dev-1", now, batch.Colour, generator.DrawSample(batch), batch.Class);
            Assert.Empty(SampleValidator.Check(sample, now));
        }
    }

    [Fact]
    public void Class_shares_follow_the_model()
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(3));
        var batches = Enumerable.Range(0, 20_000).Select(i => generator.DrawBatch($"b{i}")).ToList();
        Assert.Equal(SampleModelFigures.Uci.RedShare, batches.Count(b => b.Colour == WineColour.Red) / 20_000.0, 0.02);
        foreach (var c in SampleModelFigures.Uci.Classes)
        {
            var ofColour = batches.Where(b => b.Colour == c.Colour).ToList();
            Assert.Equal(c.Share, ofColour.Count(b => b.Class == c.Class) / (double)ofColour.Count, 0.03);
        }
    }

    private static int Diagonal(int i) => i * (i + 1) / 2 + i;
}
