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
    public async Task Two_promotions_at_once_leave_the_alias_on_the_later_one_and_each_event_names_the_champion_it_replaced()
    {
        await using var lake = await StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var data = TrainingData.Csv(TrainingData.Simulated(600, seed: 12));
        foreach (var upload in new[] { "training/a.csv", "training/b.csv", "training/c.csv" })
        {
            await UploadAndTrainAsync(lake.Store, upload, data, Weak, time);
        }
        // Two trainings finish together (blob-trigger scale-out, or two workers): the first one's alias write is slower.
        var store = new SlowFirstAliasWrite(lake.Store);
        var registry = new ModelRegistry(store);
        var first = registry.RecordAsync(PromotionOutcome.Promoted, 2, "training a", "beats the champion", time.GetUtcNow(), None);
        await store.FirstAliasWriteStarted;
        var second = await registry.RecordAsync(PromotionOutcome.Promoted, 3, "training b", "beats the champion", time.GetUtcNow(), None);
        store.ReleaseFirstAliasWrite();
        var earlier = await first;

        Assert.Equal(earlier.Sequence + 1, second.Sequence);
        Assert.Equal(2, second.PreviousChampion);
        var newest = (await registry.HistoryAsync(None)).MaxBy(p => p.Sequence)!;
        Assert.Equal((3, newest.Sequence), await registry.GetChampionAsync(None) is { } alias ? (alias.Version, alias.Promotion) : default);
    }

    [Fact]
    public async Task A_candidate_is_judged_against_the_champion_it_would_replace_even_when_another_was_promoted_meanwhile()
    {
        await using var lake = await StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var data = TrainingData.Csv(TrainingData.Simulated(1500, seed: 11));
        await UploadAndTrainAsync(lake.Store, "training/weak.csv", data, Weak, time);
        Assert.Equal(TrainingOutcome.Refused, (await UploadAndTrainAsync(lake.Store, "training/weak-again.csv", data, Weak, time)).Outcome);
        // While the candidate scores champion v1 on its held-out rows, ops promote v2 by hand.
        var store = new PromotionDuringScoring(lake.Store, 2, time);
        await lake.Store.PutAsync("training/better.csv", data, new Dictionary<string, string>(), None);
        var service = new TrainingService(store, time, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned, new GateSettings { MaximumRecallDrop = 1 });
        var record = (await service.TrainUploadAsync("training/better.csv", "test upload", null, None))!;

        Assert.True(store.Promoted);
        Assert.Equal(TrainingOutcome.Promoted, record.Outcome);
        Assert.Contains("champion v2", Assert.Single(record.Reasons));
        var promotion = (await new ModelRegistry(lake.Store).HistoryAsync(None)).MaxBy(p => p.Sequence)!;
        Assert.Equal((3, 2), (promotion.Candidate, promotion.PreviousChampion));
        Assert.Contains("champion v2", promotion.Reason);
    }

    /// <summary>The real store; the first read of a model's ONNX file (the champion's, to score it) is followed by a promotion of <paramref name="version"/>.</summary>
    private sealed class PromotionDuringScoring(IObjectStore inner, int version, TimeProvider time) : DelegatingObjectStore(inner)
    {
        public bool Promoted { get; private set; }

        public override async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
        {
            var stored = await base.GetAsync(key, cancellationToken);
            if (key.EndsWith(".onnx", StringComparison.Ordinal) && !Promoted)
            {
                Promoted = true;
                await new ModelRegistry(Inner).RecordAsync(PromotionOutcome.Promoted, version, "ops", "promoted by hand", time.GetUtcNow(), cancellationToken);
            }
            return stored;
        }
    }

    /// <summary>The real store; the first write of the champion alias waits until it is released.</summary>
    private sealed class SlowFirstAliasWrite(IObjectStore inner) : DelegatingObjectStore(inner)
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _aliasWrites;

        public Task FirstAliasWriteStarted => _started.Task;
        public void ReleaseFirstAliasWrite() => _released.SetResult();

        public override async Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
        {
            if (key == ModelRegistry.Champion && Interlocked.Increment(ref _aliasWrites) == 1)
            {
                _started.SetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }
            await base.PutAsync(key, content, metadata, cancellationToken);
        }
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
