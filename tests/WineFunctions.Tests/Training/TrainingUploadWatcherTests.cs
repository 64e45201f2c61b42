using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WineFunctions.Lake;
using WineFunctions.Registry;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Tests.Training;

/// <summary>The train-trigger's timer path for an S3 lake (s3rver): each new upload is trained once, and a refused one is reported before any training.</summary>
public sealed class TrainingUploadWatcherTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>One pass of the schedule path; <paramref name="records"/> hears each record as it is made.</summary>
    private static Task PassAsync(TrainingUploadWatcher watcher, List<TrainingRecord> records) =>
        watcher.PassAsync("train-trigger (schedule)", TrainingTarget.InProcess, r =>
        {
            records.Add(r);
            return Task.CompletedTask;
        }, () => false, None);

    private static async Task<List<TrainingRecord>> PassAsync(TrainingUploadWatcher watcher)
    {
        var records = new List<TrainingRecord>();
        await PassAsync(watcher, records);
        return records;
    }

    [Fact]
    public async Task A_pass_trains_each_new_upload_once_and_a_later_pass_leaves_it_alone()
    {
        await using var lake = await LakeStore.S3rverAsync();
        using var watcher = new TrainingUploadWatcher(lake.Store,
            new TrainingService(lake.Store, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 60 }), TimeProvider.System);
        await lake.Store.PutAsync("training/first.csv", TrainingData.Csv(TrainingData.Simulated(900, seed: 4)), new Dictionary<string, string>(), None);
        await lake.Store.PutAsync("training/notes.txt", "not a data set"u8.ToArray(), new Dictionary<string, string>(), None);

        // "bad" sorts after "first", yet its refusal comes first: every upload is checked before any is trained.
        await lake.Store.PutAsync("training/second-bad.csv", "colour;nothing\nred;1\n"u8.ToArray(), new Dictionary<string, string>(), None);
        Assert.Equal([("training/second-bad.csv", TrainingOutcome.Rejected), ("training/first.csv", TrainingOutcome.Promoted)],
            (await PassAsync(watcher)).Select(r => (r.Upload, r.Outcome)));
        Assert.Empty(await PassAsync(watcher));
        Assert.Single(await new ModelRegistry(lake.Store).ListAsync(None));
    }

    [Fact]
    public async Task An_upload_replaced_while_it_trains_is_trained_again_on_the_next_pass()
    {
        await using var lake = await LakeStore.S3rverAsync();
        var corrected = TrainingData.Csv(TrainingData.Simulated(900, seed: 5));
        // The data scientist uploads a corrected file while the first one trains.
        var store = new ReplacedWhileTraining(lake.Store, "training/first.csv", corrected);
        using var watcher = new TrainingUploadWatcher(store,
            new TrainingService(store, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 60 }), TimeProvider.System);
        await lake.Store.PutAsync("training/first.csv", TrainingData.Csv(TrainingData.Simulated(900, seed: 4)), new Dictionary<string, string>(), None);

        Assert.Equal([1], (await PassAsync(watcher)).Select(r => r.Version));
        Assert.True(store.Replaced);
        Assert.Equal([2], (await PassAsync(watcher)).Select(r => r.Version));
        var second = await new ModelRegistry(lake.Store).GetCardAsync(2, None);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(corrected)), second!.DataSet.Sha256);
        Assert.Empty(await PassAsync(watcher));
    }

    [Fact]
    public async Task An_upload_whose_training_fails_does_not_hold_up_the_uploads_after_it()
    {
        await using var lake = await LakeStore.S3rverAsync();
        // Recording a's training fails (the lake refuses that one write), every time.
        var store = new RefusedWrite(lake.Store, TrainingService.RecordKey("training/a.csv"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var watcher = new TrainingUploadWatcher(store,
            new TrainingService(store, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 60 }), time);
        await lake.Store.PutAsync("training/a.csv", TrainingData.Csv(TrainingData.Simulated(900, seed: 4)), new Dictionary<string, string>(), None);
        await lake.Store.PutAsync("training/b.csv", TrainingData.Csv(TrainingData.Simulated(900, seed: 5)), new Dictionary<string, string>(), None);

        var records = new List<TrainingRecord>();
        var failed = await Assert.ThrowsAsync<AggregateException>(() => PassAsync(watcher, records));
        Assert.Contains("training/a.csv", Assert.Single(failed.InnerExceptions).Message);
        Assert.Equal(["training/b.csv"], records.Select(r => r.Upload));

        // Each try may register a version: a.csv waits a minute before the next (then 2, 4 … 60).
        Assert.Empty(await PassAsync(watcher));
        time.Advance(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<AggregateException>(() => PassAsync(watcher));
        Assert.Empty(await PassAsync(watcher));
    }

    /// <summary>The real store, refusing every write of one key as a lake that denies it would.</summary>
    private sealed class RefusedWrite(IObjectStore inner, string refused) : DelegatingObjectStore(inner)
    {
        public override Task PutAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
            key == refused ? throw new UnauthorizedAccessException($"writing {key} is refused") : base.PutAsync(key, content, metadata, cancellationToken);
    }

    /// <summary>The real store; when training first writes a model, a second later (S3 times have whole seconds), a new upload arrives under <paramref name="key"/>.</summary>
    private sealed class ReplacedWhileTraining(IObjectStore inner, string key, byte[] replacement) : DelegatingObjectStore(inner)
    {
        public bool Replaced { get; private set; }

        public override async Task<bool> CreateAsync(string written, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
        {
            var created = await base.CreateAsync(written, content, metadata, cancellationToken);
            if (written.StartsWith("models/", StringComparison.Ordinal) && !Replaced)
            {
                Replaced = true;
                await Task.Delay(TimeSpan.FromSeconds(1.1), cancellationToken);
                await Inner.PutAsync(key, replacement, new Dictionary<string, string>(), cancellationToken);
            }
            return created;
        }
    }
}
