using Microsoft.Extensions.Hosting;

namespace WineFunctions.Ratings.Http;

/// <summary>Runs the <see cref="LakePublisher"/> beside the API, and empties the outbox into the lake on a clean stop.</summary>
public sealed class LakePublishing(LakePublisher publisher) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => publisher.RunAsync(Poll, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await publisher.PublishPendingAsync(cancellationToken);
    }
}
