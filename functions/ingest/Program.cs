using WineFunctions.Functions;
using WineFunctions.Hosting;
using WineFunctions.Ingest;
using WineFunctions.Ingest.Host;
using WineFunctions.Telemetry;

// `--health` asks the running bridge for its health: the container's health check.
if (args.Contains("--health"))
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateSlimBuilder(args);
BridgeOptions options;
try
{
    options = builder.Configuration.GetSection("Bridge").Get<BridgeOptions>() ?? new BridgeOptions();
}
catch (InvalidOperationException e)
{
    // A value of the wrong type (Bridge:EdgePrediction:Enabled=yes, say): the binder's message names the setting.
    Console.Error.WriteLine($"configuration error: {e.Message}");
    return 2;
}
if (options.Problems() is { Count: > 0 } problems)
{
    // A bad configuration stops the bridge at start, naming every setting at fault.
    foreach (var problem in problems)
    {
        Console.Error.WriteLine($"configuration error: {problem}");
    }
    return 2;
}

builder.Services.AddBridge(options);
builder.Services.AddHostedService<BridgeWorker>();
// Counters, each sample's publish span and the logs: OTLP when OTEL_EXPORTER_OTLP_ENDPOINT names a collector
// (ECS's sidecar), Application Insights when Terraform connects one (the Container App).
try
{
    builder.Services.AddWineTelemetry(builder.Configuration, "wine-bridge")?.UseAzureMonitorWhenConnected(builder.Configuration);
}
catch (SettingsException e)
{
    Console.Error.WriteLine($"configuration error: {e.Message}");
    return 2;
}
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.Kafka.BufferAfterSeconds + 20));

var app = builder.Build();
app.MapGet("/health", (SampleBridge bridge) =>
{
    var status = bridge.Status;
    // Waiting for the old bridge to let go of the buffer is alive: failing the probe would stall the rollout it waits on.
    return Results.Json(status, BridgeHostJson.Default.BridgeStatus, statusCode: status.MqttConnected || status.WaitingForBuffer ? 200 : 503);
});
// A failed bridge stops the host, which (before .NET 11) still ends with success: the exit code tells the orchestrator.
var worker = app.Services.GetServices<IHostedService>().OfType<BridgeWorker>().Single();
await app.RunAsync();
return worker.ExecuteTask is { IsFaulted: true } ? 1 : 0;
