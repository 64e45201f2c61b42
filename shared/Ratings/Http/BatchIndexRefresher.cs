using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// Creates the database's tables and indexes the lake before the API answers, then looks for
/// new samples and predictions every <see cref="RatingsOptions.RefreshInterval"/>. A lake that cannot
/// be read, at start or later, never stops the API: it serves what it has and its health says so.
/// </summary>
public sealed class BatchIndexRefresher(IRatingsStore store, BatchIndexer indexer, RatingsOptions options, TimeProvider time,
    LakeIndexHealth health, ILogger<BatchIndexRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await indexer.RefreshAsync(cancellationToken);
            health.Refreshed();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            health.Failed(e);
            logger.LogWarning(e, "Batch index refresh failed; serving what is indexed, trying again in {Interval}", options.RefreshInterval);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
        {
            await RefreshAsync(stoppingToken);
        }
    }
}
