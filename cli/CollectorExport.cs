using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WineFunctions.Telemetry;

namespace WineFunctions.Cli;

/// <summary>
/// <c>wine up --otlp URL</c>: the local stack's traces (every hop's source, and ASP.NET Core's for the
/// ratings API), metrics (every meter of ours, and ASP.NET Core's request durations) and logs (what
/// the console shows: warnings, everything with --verbose) to an OpenTelemetry collector, over OTLP's
/// HTTP/protobuf transport; the last metrics and logs go when it stops.
/// </summary>
internal sealed class CollectorExport(TracerProvider tracing, MeterProvider metrics) : IDisposable
{
    private static readonly ResourceBuilder Resource = ResourceBuilder.CreateDefault().AddService("wine-up");

    /// <summary>The logs, on the loggers' own builder (the logger factory flushes them when it is disposed).</summary>
    public static void AddLogs(ILoggingBuilder logging, Uri collector) => logging.AddOpenTelemetry(logs =>
    {
        logs.SetResourceBuilder(Resource);
        logs.AddOtlpExporter(o => Configure(o, collector, "logs"));
    });

    public static CollectorExport Start(Uri collector)
    {
        var resource = Resource;
        var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource)
            .AddSource(TelemetryExport.Ours, "Microsoft.AspNetCore")
            .AddOtlpExporter(o => Configure(o, collector, "traces"))
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource)
            .AddMeter(TelemetryExport.Ours, "Microsoft.AspNetCore.Hosting")
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, collector, "metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000;
            })
            .Build();
        return new CollectorExport(tracing, metrics);
    }

    private static void Configure(OtlpExporterOptions options, Uri collector, string signal)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri($"{collector.ToString().TrimEnd('/')}/v1/{signal}");
    }

    public void Dispose()
    {
        tracing.Dispose();
        metrics.Dispose();
    }
}
