using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WineFunctions.Lake;
using WineFunctions.Registry;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Tests.Training;

/// <summary>Training, the gate and the registry, end to end through uploads, on each real store.</summary>
public abstract class ModelRegistryTests
{
    protected abstract Task<LakeStore> StartAsync();

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Deliberately poor settings: two leaves, three rounds.</summary>
    private static readonly TrainerSettings Weak = TrainerSettings.Tuned with { Leaves = 2, Iterations = 3, LearningRate = 0.05 };

    private static async Task<TrainingRecord> UploadAndTrainAsync(IObjectStore lake, string key, byte[] content, TrainerSettings settings, TimeProvider time)
    {
        await lake.PutAsync(key, content, new Dictionary<string, string>(), None);
        // The weak model answers mostly one class, so any real model "drops" that class's recall: the
        // recall rule is tested on its own (PromotionGateTests); here the macro-accuracy rule decides.
        var service = new TrainingService(lake, time, NullLogger<TrainingService>.Instance, settings, new GateSettings { MaximumRecallDrop = 1 });
        return (await service.TrainUploadAsync(key, "test upload", null, None))!;
    }

    [Fact]
    public async Task The_gate_promotes_a_better_model_refuses_a_worse_one_and_rollback_restores_the_earlier_champion()
    {
        await using var lake = await StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var registry = new ModelRegistry(lake.Store);
        var data = TrainingData.Csv(TrainingData.Simulated(1500, seed: 11));

        var first = await UploadAndTrainAsync(lake.Store, "training/weak.csv", data, Weak, time);
        Assert.Equal(TrainingOutcome.Promoted, first.Outcome);
        Assert.Equal(1, (await registry.GetChampionAsync(None))!.Version);

        var better = await UploadAndTrainAsync(lake.Store, "training/better.csv", data, TrainerSettings.Tuned, time);
        Assert.Equal(TrainingOutcome.Promoted, better.Outcome);
        Assert.True(better.Metrics!.MacroAccuracy > first.Metrics!.MacroAccuracy);
        Assert.Equal(2, (await registry.GetChampionAsync(None))!.Version);

        var worse = await UploadAndTrainAsync(lake.Store, "training/worse.csv", data, Weak, time);
        Assert.Equal(TrainingOutcome.Refused, worse.Outcome);
        Assert.Contains("does not beat champion v2", Assert.Single(worse.Reasons));
        Assert.Equal(2, (await registry.GetChampionAsync(None))!.Version);

        var cards = await registry.ListAsync(None);
        Assert.Equal([1, 2, 3], cards.Select(c => c.Version));
        Assert.All(cards, c => Assert.Equal(64, c.DataSet.Sha256.Length));
        Assert.NotNull(await lake.Store.GetAsync(cards[1].OnnxKey, None));

        var rollback = await registry.RollbackAsync(null, "ops", "v2 misbehaves in the cellar", time.GetUtcNow(), None);
        Assert.Equal(PromotionOutcome.RolledBack, rollback.Outcome);
        Assert.Equal(1, (await registry.GetChampionAsync(None))!.Version);

        var history = await registry.HistoryAsync(None);
        Assert.Equal([PromotionOutcome.Promoted, PromotionOutcome.Promoted, PromotionOutcome.Refused, PromotionOutcome.RolledBack], history.Select(h => h.Outcome));
        Assert.Equal([1, 2, 3, 4], history.Select(h => h.Sequence));
        Assert.Equal(2, history[3].PreviousChampion);
        Assert.NotNull(history[1].PreviousMetrics);
    }

    [Fact]
    public async Task A_malformed_upload_is_rejected_with_a_record_and_leaves_no_version()
    {
        await using var lake = await StartAsync();
        var record = await UploadAndTrainAsync(lake.Store, "training/bad.csv", "\"fixed acidity\";\"quality\"\n7.4;5\n"u8.ToArray(), Weak, TimeProvider.System);
        Assert.Equal(TrainingOutcome.Rejected, record.Outcome);
        Assert.Contains(record.Reasons, r => r.Contains("'alcohol'"));
        Assert.NotNull(await lake.Store.GetAsync(TrainingService.DeadLetters + "training/bad.csv.json", None));
        Assert.Empty(await new ModelRegistry(lake.Store).ListAsync(None));
        Assert.Null(await new ModelRegistry(lake.Store).GetChampionAsync(None));
    }
}

public sealed class FolderModelRegistryTests : ModelRegistryTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.FolderAsync();
}

public sealed class S3ModelRegistryTests : ModelRegistryTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.S3rverAsync();
}

public sealed class BlobModelRegistryTests : ModelRegistryTests
{
    protected override Task<LakeStore> StartAsync() => LakeStore.AzuriteAsync();
}
