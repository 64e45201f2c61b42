using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WineFunctions.Ratings.Http;

/// <summary>
/// Creates the database's tables and indexes the lake before the API answers, then looks for
/// new samples and predictions every <see cref="RatingsOptions.RefreshInterval"/>.
/// </summary>
public sealed class BatchIndexRefresher(IRatingsStore store, BatchIndexer indexer, RatingsOptions options, TimeProvider time,
    ILogger<BatchIndexRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        await indexer.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
        {
            try
            {
                await indexer.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Batch index refresh failed; trying again in {Interval}", options.RefreshInterval);
            }
        }
    }
}
