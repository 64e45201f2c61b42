using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using WineFunctions.Functions;
using WineFunctions.Sink;
using WineFunctions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddSink(builder.Configuration); // a bad setting stops the worker at start, naming it
// Traces, metrics and logs: OTLP when a collector is set, Application Insights when Terraform connects one.
builder.Services.AddWineTelemetry(builder.Configuration, "wine-sink")?
    .UseFunctionsWorkerDefaults()
    .UseAzureMonitorWhenConnected(builder.Configuration);
builder.Build().Run();
