using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Registry;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Tests.Training;

/// <summary>The train-trigger's timer path for an S3 lake (s3rver): each new upload is trained once, and a refused one is reported before any training.</summary>
public sealed class TrainingUploadWatcherTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_pass_trains_each_new_upload_once_and_a_later_pass_leaves_it_alone()
    {
        await using var lake = await LakeStore.S3rverAsync();
        using var watcher = new TrainingUploadWatcher(lake.Store,
            new TrainingService(lake.Store, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 60 }));
        await lake.Store.PutAsync("training/first.csv", TrainingData.Csv(TrainingData.Simulated(900, seed: 4)), new Dictionary<string, string>(), None);
        await lake.Store.PutAsync("training/notes.txt", "not a data set"u8.ToArray(), new Dictionary<string, string>(), None);

        async Task<List<TrainingRecord>> PassAsync()
        {
            var records = new List<TrainingRecord>();
            await watcher.PassAsync("train-trigger (schedule)", TrainingTarget.InProcess, r =>
            {
                records.Add(r);
                return Task.CompletedTask;
            }, () => false, None);
            return records;
        }

        // "bad" sorts after "first", yet its refusal comes first: every upload is checked before any is trained.
        await lake.Store.PutAsync("training/second-bad.csv", "colour;nothing\nred;1\n"u8.ToArray(), new Dictionary<string, string>(), None);
        Assert.Equal([("training/second-bad.csv", TrainingOutcome.Rejected), ("training/first.csv", TrainingOutcome.Promoted)],
            (await PassAsync()).Select(r => (r.Upload, r.Outcome)));
        Assert.Empty(await PassAsync());
        Assert.Single(await new ModelRegistry(lake.Store).ListAsync(None));
    }
}
