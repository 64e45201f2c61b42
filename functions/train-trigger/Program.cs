using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using WineFunctions.Functions;
using WineFunctions.Telemetry;
using WineFunctions.Training;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddTraining(builder.Configuration, "train-trigger"); // a bad setting stops the worker at start, naming it
// Traces, metrics and logs: OTLP when a collector is set, Application Insights when Terraform connects one.
builder.Services.AddWineTelemetry(builder.Configuration, "wine-train-trigger")?
    .UseFunctionsWorkerDefaults()
    .UseAzureMonitorWhenConnected(builder.Configuration);
builder.Build().Run();
