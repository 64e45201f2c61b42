using System.Text;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>
/// Writes accepted ratings and scores into the lake from the database's outbox: a rating is
/// accepted when its database transaction (rating, outbox entry, idempotency key) commits, and
/// reaches the lake moments later, several objects at a time, so that no request waits for the
/// lake. Writes are idempotent (same key, same content), so two instances or a retry after a
/// crash write an object twice at worst, never lose it.
/// </summary>
public sealed class LakePublisher(IRatingsStore store, IObjectStore lake, ILogger<LakePublisher> logger, RatingsMetrics metrics)
{
    private const int BatchSize = 256;
    private const int Parallelism = 16;
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Something new is in the outbox: publish now rather than at the next poll.</summary>
    public void Notify()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>Writes everything pending; returns how many objects. Safe to call from several places at once.</summary>
    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            var written = 0;
            while (await store.PendingLakeWritesAsync(BatchSize, cancellationToken) is { Count: > 0 } pending)
            {
                await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (write, token) => await lake.PutAsync(write.Key, Encoding.UTF8.GetBytes(write.Content), RatingsLake.Metadata, token));
                await store.LakeWrittenAsync(pending.Select(p => p.Key).ToList(), cancellationToken);
                metrics.WrittenToLake(pending.Count);
                written += pending.Count;
            }
            return written;
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>Publishes when notified and at least every <paramref name="poll"/> (for other instances' entries and after failures).</summary>
    public async Task RunAsync(TimeSpan poll, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PublishPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Writing accepted ratings into {Lake} failed; they stay in the outbox and are tried again", lake.Location);
            }
            try
            {
                await _wake.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
