using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WineFunctions.Data;
using WineFunctions.Lake;
using WineFunctions.Prediction;
using WineFunctions.Registry;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Tests.Predict;

/// <summary>Predicting raw objects in a real S3 server (s3rver) with the champion from the registry there.</summary>
public sealed class RawObjectPredictorTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string RawKey = "raw/samples/date=2026-11-26/hour=12/wine.samples+0+000000000000.parquet";

    private static IReadOnlyList<WineSample> Samples(int count, int seed) =>
    [
        .. TrainingData.Simulated(count, seed).Select((row, i) => WineSample.Create($"s-{seed}-{i}", $"batch-{i % 7}", "wh-01", "wh-01-dev-1",
            new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), row.Colour, row.Values, QualityClasses.FromScore(row.Quality))),
    ];

    private static async Task<TrainingRecord> TrainAsync(IObjectStore lake, string name, TrainerSettings settings)
    {
        await lake.PutAsync($"training/{name}.csv", TrainingData.Csv(TrainingData.Simulated(1200, seed: 21)), new Dictionary<string, string>(), None);
        return (await new TrainingService(lake, TimeProvider.System, NullLogger<TrainingService>.Instance, settings)
            .TrainUploadAsync($"training/{name}.csv", "test", null, None))!;
    }

    [Fact]
    public async Task Predictions_for_a_raw_object_in_S3_match_MLNET_are_written_once_and_follow_a_promotion()
    {
        await using var lake = await LakeStore.S3rverAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var metrics = new PredictMetrics();
        // The class mix per warehouse and colour, as an operator's dashboard reads it from the meter.
        var mix = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PredictMetrics.MeterName && instrument.Name == "wine.predict.samples")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var named = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            mix.AddOrUpdate($"{named.GetValueOrDefault("warehouse")} {named.GetValueOrDefault("colour")} {named.GetValueOrDefault("class")}", value, (_, sum) => sum + value);
        });
        listener.Start();
        var predictor = RawObjectPredictor.Create(lake.Store, new PredictSettings { ChampionCheckInterval = TimeSpan.FromMinutes(5) }, time, NullLoggerFactory.Instance, metrics);

        await Assert.ThrowsAsync<NoChampionException>(async () =>
        {
            await lake.Store.PutAsync(RawKey, await SampleParquet.WriteAsync(Samples(10, 1), new Dictionary<string, string>(), None), new Dictionary<string, string>(), None);
            await predictor.PredictObjectAsync(RawKey, None);
        });
        Assert.Equal(TrainingOutcome.Promoted, (await TrainAsync(lake.Store, "first", TrainerSettings.Tuned)).Outcome);

        // One impossible sample among 300: it gets a reason instead of a class.
        var samples = Samples(300, 2).Select((s, i) => i == 17 ? s with { PH = 9.5 } : s).ToList();
        await lake.Store.PutAsync(RawKey, await SampleParquet.WriteAsync(samples, new Dictionary<string, string>(), None), new Dictionary<string, string>(), None);
        var written = (await predictor.PredictObjectAsync(RawKey, None))!;
        Assert.Equal("predictions/date=2026-11-26/hour=12/wine.samples+0+000000000000.parquet", written.PredictionsKey);
        Assert.Equal((300, 1, 1), (written.Samples, written.Rejected, written.ModelVersion));

        var predictions = await PredictionParquet.ReadAsync((await lake.Store.GetAsync(written.PredictionsKey, None))!.Content, None);
        Assert.Equal(samples.Select(s => s.SampleId), predictions.Select(p => p.SampleId));
        Assert.Null(predictions[17].PredictedClass);
        Assert.Contains("pH", predictions[17].Rejection);
        foreach (var group in samples.Zip(predictions).GroupBy(p => $"wh-01 {p.First.Wine.Name()} {p.Second.PredictedClass ?? "rejected"}"))
        {
            // At least these (tests running beside this one may add to the same warehouse's counts).
            Assert.True(mix.GetValueOrDefault(group.Key) >= group.Count(), $"{group.Key}: {mix.GetValueOrDefault(group.Key)} counted, {group.Count()} predicted");
        }

        // The same samples straight through the registered ML.NET model.
        var registry = new ModelRegistry(lake.Store);
        var card = (await registry.GetCardAsync(1, None))!;
        var trainer = new WineModelTrainer();
        var valid = samples.Where((_, i) => i != 17).ToList();
        var direct = trainer.PredictClasses(trainer.LoadModel(await registry.ReadArtifactAsync(card.ModelKey, None)),
            [.. valid.Select(s => new LabelledMeasurements(s.Wine, s.Measurements(), 0))]);
        var scored = predictions.Where((_, i) => i != 17).ToList();
        // The card's cut points decide, and on these samples they differ from the most probable class.
        Assert.Contains(direct, p => card.Decision!.Decide(p) != ClassificationMetrics.ArgMax(p));
        for (var i = 0; i < valid.Count; i++)
        {
            Assert.Equal(QualityClasses.All[card.Decision!.Decide(direct[i])].Name(), scored[i].PredictedClass);
            Assert.Equal(direct[i][0], scored[i].ProbabilityGood!.Value, 1e-5);
            Assert.Equal(direct[i][2], scored[i].ProbabilityBest!.Value, 1e-5);
        }
        Assert.True(metrics.Counts.MatchedSimulated > metrics.Counts.Simulated / 2, $"{metrics.Counts.MatchedSimulated} of {metrics.Counts.Simulated}");

        // A duplicate event rewrites the same object: still one predictions object.
        await predictor.PredictObjectAsync(RawKey, None);
        Assert.Single(await lake.Store.ListAsync(LakeLayout.Predictions, None).ToListAsync());

        // A promotion by hand: without the event, the cached champion stays until the check interval…
        Assert.Equal(TrainingOutcome.Refused, (await TrainAsync(lake.Store, "second", TrainerSettings.Tuned with { Leaves = 2, Iterations = 3 })).Outcome);
        await registry.RecordAsync(PromotionOutcome.Promoted, 2, "test", "try the small model", time.GetUtcNow(), None);
        Assert.Equal(1, (await predictor.PredictObjectAsync(RawKey, None))!.ModelVersion);
        // …and the promotion event swaps it at once, between objects.
        predictor.Champion.PromotionHappened();
        Assert.Equal(2, (await predictor.PredictObjectAsync(RawKey, None))!.ModelVersion);
        await registry.RollbackAsync(null, "test", "back", time.GetUtcNow(), None);
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, (await predictor.PredictObjectAsync(RawKey, None))!.ModelVersion);
    }

    [Fact]
    public async Task Measurement_drift_per_warehouse_and_colour_is_a_gauge_against_the_champions_training_set()
    {
        await using var lake = await LakeStore.FolderAsync();
        using var metrics = new PredictMetrics();
        var drift = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PredictMetrics.MeterName && instrument.Name == "wine.predict.measurement.psi")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var named = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            drift[$"{named["warehouse"]} {named["colour"]} {named["measurement"]}"] = value;
        });
        listener.Start();
        var predictor = RawObjectPredictor.Create(lake.Store, new PredictSettings(), TimeProvider.System, NullLoggerFactory.Instance, metrics);
        Assert.Equal(TrainingOutcome.Promoted, (await TrainAsync(lake.Store, "first", TrainerSettings.Tuned with { Leaves = 4, Iterations = 10 })).Outcome);
        var card = (await new ModelRegistry(lake.Store).GetCardAsync(1, None))!;
        Assert.Equal(2 * Measurement.All.Count, card.Reference!.Count);

        // wh-drift-a measures as the training set did; wh-drift-b's alcohol reads 2 % vol high.
        var steady = Samples(2000, 5).Select(s => s with { WarehouseId = "wh-drift-a" }).ToList();
        var shifted = Samples(2000, 6).Select(s => s with { WarehouseId = "wh-drift-b", Alcohol = s.Alcohol + 2 }).ToList();
        await lake.Store.PutAsync(RawKey, await SampleParquet.WriteAsync([.. steady, .. shifted], new Dictionary<string, string>(), None), new Dictionary<string, string>(), None);
        await predictor.PredictObjectAsync(RawKey, None);
        listener.RecordObservableInstruments();

        // The training set has a few hundred rows per colour, so even steady samples show some index (sampling noise).
        foreach (var colour in new[] { "red", "white" })
        {
            var (a, b) = (drift[$"wh-drift-a {colour} alcohol"], drift[$"wh-drift-b {colour} alcohol"]);
            Assert.True(b > PopulationStability.Shifted && b > 4 * a && a < PopulationStability.Shifted, $"{colour} alcohol: steady {a:0.000}, shifted {b:0.000}");
            Assert.True(drift[$"wh-drift-b {colour} pH"] < PopulationStability.Shifted, $"{colour} pH: {drift[$"wh-drift-b {colour} pH"]:0.000}");
        }

        // v2 becomes champion, then is rolled back: the windows follow the champion in use, v1 again.
        var registry = new ModelRegistry(lake.Store);
        await TrainAsync(lake.Store, "second", TrainerSettings.Tuned with { Leaves = 2, Iterations = 3 });
        await registry.RecordAsync(PromotionOutcome.Promoted, 2, "test", "try the small model", DateTimeOffset.UtcNow, None);
        predictor.Champion.PromotionHappened();
        Assert.Equal(2, (await predictor.PredictObjectAsync(RawKey, None))!.ModelVersion);
        await registry.RollbackAsync(null, "test", "back", DateTimeOffset.UtcNow, None);
        predictor.Champion.PromotionHappened();
        const string AfterRollback = "raw/samples/date=2026-11-26/hour=13/wine.samples+0+000000000001.parquet";
        var later = Samples(200, 7).Select(s => s with { WarehouseId = "wh-drift-c" }).ToList();
        await lake.Store.PutAsync(AfterRollback, await SampleParquet.WriteAsync(later, new Dictionary<string, string>(), None), new Dictionary<string, string>(), None);
        Assert.Equal(1, (await predictor.PredictObjectAsync(AfterRollback, None))!.ModelVersion);
        drift.Clear();
        listener.RecordObservableInstruments();
        Assert.Contains(drift.Keys, k => k.StartsWith("wh-drift-c ", StringComparison.Ordinal));
        Assert.DoesNotContain(drift.Keys, k => k.StartsWith("wh-drift-a ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_object_that_is_not_Parquet_is_a_clear_error_and_a_missing_one_is_skipped()
    {
        await using var lake = await LakeStore.FolderAsync();
        var predictor = RawObjectPredictor.Create(lake.Store, new PredictSettings(), TimeProvider.System, NullLoggerFactory.Instance);
        Assert.Null(await predictor.PredictObjectAsync(RawKey, None));
        await lake.Store.PutAsync(RawKey, "not parquet"u8.ToArray(), new Dictionary<string, string>(), None);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => predictor.PredictObjectAsync(RawKey, None));
        Assert.Contains("is not a readable raw sample object", error.Message);
    }
}
