using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using WineFunctions.Functions;
using WineFunctions.Ratings.Http;
using WineFunctions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddRatingsApi(builder.Configuration, "ratings-api"); // a bad setting stops the worker at start, naming it
// Traces, metrics and logs: OTLP when a collector is set, Application Insights when Terraform connects one.
builder.Services.AddWineTelemetry(builder.Configuration, "wine-ratings-api")?
    .WithTracing(tracing => tracing.AddSource("Microsoft.AspNetCore")) // each request's span: API latency and errors
    .WithMetrics(metrics => metrics.AddMeter("Microsoft.AspNetCore.Hosting"))
    .UseFunctionsWorkerDefaults()
    .UseAzureMonitorWhenConnected(builder.Configuration);
builder.Build().Run();
