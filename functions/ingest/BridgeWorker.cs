using WineFunctions.Ingest;

namespace WineFunctions.Ingest.Host;

/// <summary>Runs the shared bridge for the life of the host; a failure stops the host with an error.</summary>
internal sealed class BridgeWorker(SampleBridge bridge) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => bridge.RunAsync(stoppingToken);
}
