using WineFunctions.Lake;
using WineFunctions.Registry;

namespace WineFunctions.Training;

/// <summary>
/// Finds uploads under <c>training/</c> that have no training record of their own write and
/// sends each to training. For lakes whose store raises no event the function could trigger on:
/// the local stack's folder, and an S3 lake read by the train-trigger in Azure on a timer. Every
/// new upload is checked before any is trained, so a refused one is recorded at once instead of
/// after the others' training.
/// </summary>
public sealed class TrainingUploadWatcher(IObjectStore lake, TrainingService training, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1), LastRetry = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _checking = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _passed = [];
    private readonly Dictionary<string, (DateTimeOffset Modified, int Failures, DateTimeOffset NotBefore)> _failed = [];

    /// <summary>One look at the prefix; <paramref name="finished"/> hears each record as it is made.</summary>
    /// <param name="stop">Asked before each training: true leaves the rest for a later pass.</param>
    /// <exception cref="AggregateException">Uploads whose training failed, one exception each, after the others were trained.</exception>
    public async Task PassAsync(string by, TrainingTarget target, Func<TrainingRecord, Task> finished, Func<bool> stop, CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
        foreach (var upload in await CheckPassAsync(finished, cancellationToken))
        {
            var key = upload.Key;
            if (stop())
            {
                break;
            }
            TrainingRecord? record;
            try
            {
                record = await training.DispatchAsync(key, $"{by} (upload {key})", target, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One upload that fails (its training, or the lake meanwhile) does not hold up those after it;
                // it is tried again after 1, 2, 4 … 60 minutes, since each try may register a version.
                var retry = Failed(upload);
                (failures ??= []).Add(new InvalidOperationException($"training upload {key} failed (tried again after {retry:yyyy-MM-dd HH:mm:ss} UTC): {e.Message}", e));
                continue;
            }
            lock (_failed)
            {
                _failed.Remove(key);
            }
            if (record is not null)
            {
                await finished(record);
            }
        }
        if (failures is not null)
        {
            throw new AggregateException("a training pass left uploads untrained; they are tried again on the next pass", failures);
        }
    }

    /// <summary>
    /// Checks every new upload (a running training does not hold this up): a refused one is recorded
    /// and <paramref name="rejected"/> hears it; those that passed are returned.
    /// </summary>
    public async Task<IReadOnlyList<ObjectEntry>> CheckPassAsync(Func<TrainingRecord, Task> rejected, CancellationToken cancellationToken)
    {
        // One check at a time: two passes must not both refuse, and report, the same upload.
        await _checking.WaitAsync(cancellationToken);
        try
        {
            var passed = new List<ObjectEntry>();
            await foreach (var upload in lake.ListAsync(LakeLayout.TrainingSets, cancellationToken))
            {
                if (!TrainingFile.IsTrainingData(upload.Key)
                    || await training.LastRecordAsync(upload.Key, cancellationToken) is { } done && (done.UploadModified ?? done.At) >= upload.LastModified)
                {
                    continue;
                }
                if (WaitsForRetry(upload))
                {
                    continue;
                }
                if (_passed.GetValueOrDefault(upload.Key) == upload.LastModified)
                {
                    passed.Add(upload); // this version was checked before and waits for training
                }
                else if (await training.CheckAsync(upload.Key, cancellationToken) is { } refused)
                {
                    await rejected(refused);
                }
                else
                {
                    _passed[upload.Key] = upload.LastModified;
                    passed.Add(upload);
                }
            }
            return passed;
        }
        finally
        {
            _checking.Release();
        }
    }

    private DateTimeOffset Failed(ObjectEntry upload)
    {
        lock (_failed)
        {
            var failures = _failed.TryGetValue(upload.Key, out var before) ? before.Failures + 1 : 1;
            var wait = TimeSpan.FromTicks(Math.Min(FirstRetry.Ticks << Math.Min(failures - 1, 10), LastRetry.Ticks));
            var notBefore = time.GetUtcNow() + wait;
            _failed[upload.Key] = (upload.LastModified, failures, notBefore);
            return notBefore;
        }
    }

    /// <summary>A version of an upload that failed, before its retry time; a new upload under the key is tried at once.</summary>
    private bool WaitsForRetry(ObjectEntry upload)
    {
        lock (_failed)
        {
            return _failed.TryGetValue(upload.Key, out var failed) && failed.Modified == upload.LastModified && time.GetUtcNow() < failed.NotBefore;
        }
    }

    public void Dispose() => _checking.Dispose();
}
