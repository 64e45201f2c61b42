using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Registry;

namespace WineFunctions.Training;

/// <summary>
/// The training worker (<c>wine train --worker</c>): takes job requests from
/// <c>_state/train/jobs/</c>, claims each with a create-if-absent object so two workers never train
/// the same upload, trains it with the same service the functions use, and removes the request.
/// A worker that dies mid-job leaves its claim: delete <c>_state/train/claims/{job}</c> to retry it.
/// A request no worker can read is set aside with the reason in <c>_state/train/unreadable-jobs/</c>.
/// </summary>
public sealed class TrainingJobs(IObjectStore lake, TrainingService training, TimeProvider time, ILogger<TrainingJobs> logger)
{
    public const string Jobs = TrainingService.State + "jobs/";
    public const string Claims = TrainingService.State + "claims/";
    public const string Unreadable = TrainingService.State + "unreadable-jobs/";

    public static string JobKey(TrainingJob job) =>
        string.Create(CultureInfo.InvariantCulture, $"{Jobs}{job.RequestedAt.UtcDateTime:yyyyMMddTHHmmssfffffff}-{Guid.NewGuid():N}.json");

    /// <summary>Works through the requests until <paramref name="cancellationToken"/> fires, polling every <paramref name="interval"/>.</summary>
    public async Task RunAsync(string worker, TimeSpan interval, Action<TrainingRecord> finished, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            await foreach (var entry in lake.ListAsync(Jobs, cancellationToken))
            {
                if (await TakeAsync(entry.Key, worker, cancellationToken) is { } record)
                {
                    finished(record);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task<TrainingRecord?> TakeAsync(string jobKey, string worker, CancellationToken cancellationToken)
    {
        var claim = Claims + jobKey[Jobs.Length..];
        var claimed = new Dictionary<string, string> { [ObjectMetadata.Source] = worker };
        if (await lake.GetAsync(jobKey, cancellationToken) is not { } stored
            || !await lake.CreateAsync(claim, System.Text.Encoding.UTF8.GetBytes(worker), claimed, cancellationToken))
        {
            return null; // another worker has it
        }
        // A worker that finished deletes the request before its claim: a request gone now was done by another.
        if (await lake.GetAsync(jobKey, cancellationToken) is null)
        {
            await lake.DeleteAsync(claim, cancellationToken);
            return null;
        }
        var (job, problem) = Read(stored.Content);
        if (job is null)
        {
            await DeadLetterAsync(jobKey, stored.Content, problem!, worker, cancellationToken);
            await lake.DeleteAsync(jobKey, cancellationToken);
            await lake.DeleteAsync(claim, cancellationToken);
            return null;
        }
        logger.LogInformation("Worker {Worker} trains {Upload}, requested by {By} at {RequestedAt}", worker, job.Upload, job.By, job.RequestedAt);
        var record = await training.TrainUploadAsync(job.Upload, $"{job.By}, trained by worker {worker}", null, cancellationToken);
        await lake.DeleteAsync(jobKey, cancellationToken);
        await lake.DeleteAsync(claim, cancellationToken);
        return record;
    }

    private static (TrainingJob? Job, string? Problem) Read(byte[] content)
    {
        try
        {
            return JsonSerializer.Deserialize(content, RegistryJson.Default.TrainingJob) is { Upload.Length: > 0 } job
                ? (job, null)
                : (null, "the request names no upload");
        }
        catch (JsonException exception)
        {
            return (null, "the request is not a training job: " + exception.Message);
        }
    }

    /// <summary>An unreadable request would otherwise stop every worker that takes it, or, left claimed, be skipped for good with no reason anywhere.</summary>
    private async Task DeadLetterAsync(string jobKey, byte[] content, string problem, string worker, CancellationToken cancellationToken)
    {
        var letter = new TrainingJobDeadLetter(jobKey, System.Text.Encoding.UTF8.GetString(content), problem, worker, time.GetUtcNow());
        await lake.PutAsync(Unreadable + jobKey[Jobs.Length..], JsonSerializer.SerializeToUtf8Bytes(letter, RegistryJson.Default.TrainingJobDeadLetter),
            new Dictionary<string, string> { [ObjectMetadata.Source] = worker }, cancellationToken);
        logger.LogError("Worker {Worker} set aside training job {JobKey}: {Problem}", worker, jobKey, problem);
    }
}
