using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Registry;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Models;

namespace WineFunctions.Tests.Training;

/// <summary>
/// Training dispatched to a worker through job requests in the lake (here on azurite, as a worker in
/// another cloud would see it: Blob storage creates objects only-if-absent atomically; s3rver does not,
/// real S3 does).
/// </summary>
public sealed class TrainingWorkerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_checked_upload_becomes_a_job_request_that_a_worker_trains_once_and_a_bad_one_never_does()
    {
        await using var lake = await LakeStore.AzuriteAsync();
        var service = new TrainingService(lake.Store, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 60 });
        await lake.Store.PutAsync("training/good.csv", TrainingData.Csv(TrainingData.Simulated(900, seed: 3)), new Dictionary<string, string>(), None);
        await lake.Store.PutAsync("training/bad.csv", "\"quality\"\n5\n"u8.ToArray(), new Dictionary<string, string>(), None);

        Assert.Equal(TrainingOutcome.Queued, (await service.DispatchAsync("training/good.csv", "train-trigger", TrainingTarget.Worker, None))!.Outcome);
        Assert.Equal(TrainingOutcome.Rejected, (await service.DispatchAsync("training/bad.csv", "train-trigger", TrainingTarget.Worker, None))!.Outcome);
        Assert.Single(await lake.Store.ListAsync(TrainingJobs.Jobs, None).ToListAsync());
        Assert.Empty(await new ModelRegistry(lake.Store).ListAsync(None));

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var finished = new List<TrainingRecord>();
        var jobs = new TrainingJobs(lake.Store, service, TimeProvider.System, NullLogger<TrainingJobs>.Instance);
        // Two workers race for the one request; the claim lets exactly one train it.
        var workers = new[] { "gpu-1", "gpu-2" }.Select(name => Task.Run(async () =>
        {
            try
            {
                await jobs.RunAsync(name, TimeSpan.FromMilliseconds(200), record =>
                {
                    lock (finished)
                    {
                        finished.Add(record);
                    }
                    stop.CancelAfter(TimeSpan.FromSeconds(1));
                }, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();
        await Task.WhenAll(workers);

        var record = Assert.Single(finished);
        Assert.Equal(TrainingOutcome.Promoted, record.Outcome);
        Assert.Equal(1, (await new ModelRegistry(lake.Store).GetChampionAsync(None))!.Version);
        Assert.Contains("trained by worker gpu-", (await new ModelRegistry(lake.Store).HistoryAsync(None)).Single().By);
        Assert.Empty(await lake.Store.ListAsync(TrainingJobs.Jobs, None).ToListAsync());
        Assert.Empty(await lake.Store.ListAsync(TrainingJobs.Claims, None).ToListAsync());
    }

    [Fact]
    public async Task A_job_request_no_worker_can_read_is_set_aside_with_the_reason_and_the_next_one_still_trains()
    {
        await using var lake = await LakeStore.AzuriteAsync();
        var service = new TrainingService(lake.Store, TimeProvider.System, NullLogger<TrainingService>.Instance, TrainerSettings.Tuned with { Iterations = 60 });
        await lake.Store.PutAsync(TrainingJobs.Jobs + "00000000T000000-broken.json", "{\"upload\": "u8.ToArray(), new Dictionary<string, string>(), None);
        await lake.Store.PutAsync(TrainingJobs.Jobs + "00000000T000001-empty.json", "null"u8.ToArray(), new Dictionary<string, string>(), None);
        await lake.Store.PutAsync("training/good.csv", TrainingData.Csv(TrainingData.Simulated(900, seed: 3)), new Dictionary<string, string>(), None);
        Assert.Equal(TrainingOutcome.Queued, (await service.DispatchAsync("training/good.csv", "train-trigger", TrainingTarget.Worker, None))!.Outcome);

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var finished = new List<TrainingRecord>();
        var jobs = new TrainingJobs(lake.Store, service, TimeProvider.System, NullLogger<TrainingJobs>.Instance);
        try
        {
            await jobs.RunAsync("gpu-1", TimeSpan.FromMilliseconds(200), record =>
            {
                finished.Add(record);
                stop.Cancel();
            }, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(TrainingOutcome.Promoted, Assert.Single(finished).Outcome);
        Assert.Empty(await lake.Store.ListAsync(TrainingJobs.Jobs, None).ToListAsync());
        Assert.Empty(await lake.Store.ListAsync(TrainingJobs.Claims, None).ToListAsync());
        var setAside = await lake.Store.ListAsync(TrainingJobs.Unreadable, None).ToListAsync();
        Assert.Equal([TrainingJobs.Unreadable + "00000000T000000-broken.json", TrainingJobs.Unreadable + "00000000T000001-empty.json"], setAside.Select(e => e.Key).Order());
        var broken = System.Text.Json.JsonSerializer.Deserialize((await lake.Store.GetAsync(setAside.Min(e => e.Key)!, None))!.Content, RegistryJson.Default.TrainingJobDeadLetter)!;
        Assert.Equal(("{\"upload\": ", "gpu-1"), (broken.Request, broken.Worker));
        Assert.StartsWith("the request is not a training job: ", broken.Reason);
        var empty = System.Text.Json.JsonSerializer.Deserialize((await lake.Store.GetAsync(setAside.Max(e => e.Key)!, None))!.Content, RegistryJson.Default.TrainingJobDeadLetter)!;
        Assert.Equal("the request names no upload", empty.Reason);
    }
}
