using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
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
// Counters and each sample's publish span go to any OpenTelemetry collector named by the standard
// OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, ...).
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(resource => resource.AddService("wine-bridge"))
        .WithMetrics(metrics => metrics.AddMeter(BridgeMetrics.MeterName).AddOtlpExporter())
        .WithTracing(tracing => tracing.AddSource(WineTelemetry.Ingest.Name).AddOtlpExporter());
}
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.Kafka.BufferAfterSeconds + 20));

var app = builder.Build();
app.MapGet("/health", (SampleBridge bridge) =>
{
    var status = bridge.Status;
    return Results.Json(status, BridgeHostJson.Default.BridgeStatus, statusCode: status.MqttConnected ? 200 : 503);
});
await app.RunAsync();
return 0;
