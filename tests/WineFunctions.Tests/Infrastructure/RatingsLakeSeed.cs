using Parquet;
using Parquet.Schema;
using WineFunctions.Lake;
using WineFunctions.Ratings;
using WineFunctions.Samples;
using WineFunctions.Simulation;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>A seeded batch: what the tests know about it.</summary>
public sealed record SeededBatch(string BatchId, WineColour Colour, QualityClass Class, string WarehouseId, bool Predicted);

/// <summary>
/// Fills a lake the way the pipeline does: raw sample objects (simulator chemistry, sink
/// layout), predictions objects for some of them (the predict contract's columns) and the
/// distributors reference file.
/// </summary>
public static class RatingsLakeSeed
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    /// <param name="batches">How many batches; every third one has no predictions yet.</param>
    public static async Task<IReadOnlyList<SeededBatch>> SeedAsync(IObjectStore lake, int batches = 12, int samplesPerBatch = 4, int seed = 7)
    {
        var generator = new SampleGenerator(SampleModelFigures.Uci, new Random(seed));
        var seeded = new List<SeededBatch>();
        var samples = new List<WineSample>();
        for (var b = 0; b < batches; b++)
        {
            var colour = b % 2 == 0 ? WineColour.Red : WineColour.White;
            var quality = QualityClasses.All[b % 3];
            var profile = generator.DrawBatch($"B-{b:D3}", colour, quality);
            var warehouse = $"wh-0{1 + b % 3}";
            seeded.Add(new SeededBatch(profile.BatchId, colour, quality, warehouse, b % 3 != 2 || b % 4 == 0));
            for (var s = 0; s < samplesPerBatch; s++)
            {
                samples.Add(WineSample.Create($"{profile.BatchId}-s{s}", profile.BatchId, warehouse, $"{warehouse}-dev-1",
                    Start.AddMinutes(b * 10 + s), colour, generator.DrawSample(profile), quality));
            }
        }
        // Two objects, as the sink would write two runs.
        var half = samples.Count / 2;
        var runs = new[] { (Offset: 0L, Samples: samples[..half]), (Offset: half, Samples: samples[half..]) };
        foreach (var (offset, run) in runs)
        {
            var key = LakeLayout.RawSampleObject(run[0].TakenAt, "wine.samples", 0, offset, SampleFormat.Parquet);
            await lake.PutAsync(key, await SampleParquet.WriteAsync(run, new Dictionary<string, string>(), CancellationToken.None),
                new Dictionary<string, string>(), CancellationToken.None);
            var predicted = run.Where(s => seeded.Single(b => b.BatchId == s.BatchId).Predicted).ToList();
            await lake.PutAsync(LakeLayout.PredictionsFor(key), await PredictionsAsync(predicted, seeded), new Dictionary<string, string>(), CancellationToken.None);
        }
        await lake.PutAsync(LakeLayout.Distributors, DistributorDirectory.Serialize(Distributors(seeded)), new Dictionary<string, string>(), CancellationToken.None);
        return seeded;
    }

    /// <summary>Lyon stocks every batch; Bordeaux every even one, cheaper.</summary>
    public static DistributorsFile Distributors(IReadOnlyList<SeededBatch> batches) => new(
    [
        new Distributor("d-lyon", "Cave de Lyon", "Lyon", 45.764, 4.8357, batches.Select(b => new StockLine(b.BatchId, 24, 21.5m)).ToList()),
        new Distributor("d-bordeaux", "Chai du Port", "Bordeaux", 44.8378, -0.5792,
            batches.Where((_, i) => i % 2 == 0).Select(b => new StockLine(b.BatchId, 60, 17.0m)).ToList()),
    ]);

    /// <summary>A predictions object as the predict function writes it: model version 3 says the batch's true class for every sample.</summary>
    private static async Task<byte[]> PredictionsAsync(IReadOnlyList<WineSample> samples, IReadOnlyList<SeededBatch> batches)
    {
        var sampleId = new DataField<string>("sampleId", false);
        var batchId = new DataField<string>("batchId", false);
        var predictedClass = new DataField<string>("predictedClass", true);
        var pGood = new DataField<double?>("probabilityGood");
        var pBetter = new DataField<double?>("probabilityBetter");
        var pBest = new DataField<double?>("probabilityBest");
        var modelVersion = new DataField<int>("modelVersion");
        var rejection = new DataField<string>("rejection", true);
        var schema = new ParquetSchema(sampleId, batchId, predictedClass, pGood, pBetter, pBest, modelVersion, rejection);
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(sampleId, samples.Select(s => s.SampleId).ToArray());
            await group.WriteAsync(batchId, samples.Select(s => s.BatchId).ToArray());
            await group.WriteAsync(predictedClass, samples.Select(s => batches.Single(b => b.BatchId == s.BatchId).Class.Name()).ToArray());
            var probabilities = samples.Select(_ => (double?)(1.0 / 3)).ToArray();
            await group.WriteAsync<double>(pGood, probabilities);
            await group.WriteAsync<double>(pBetter, probabilities);
            await group.WriteAsync<double>(pBest, probabilities);
            await group.WriteAsync<int>(modelVersion, samples.Select(_ => 3).ToArray());
            await group.WriteAsync(rejection, samples.Select(_ => (string)null!).ToArray());
        }
        return stream.ToArray();
    }
}
