using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WineFunctions.Cli;

/// <summary>
/// <c>wine up --otlp URL</c>: the local stack's traces (every hop's source, and ASP.NET Core's for the
/// ratings API) and metrics (every meter of ours, and ASP.NET Core's request durations) to an
/// OpenTelemetry collector, over OTLP's HTTP/protobuf transport; the last metrics go when it stops.
/// </summary>
internal sealed class TelemetryExport(TracerProvider tracing, MeterProvider metrics) : IDisposable
{
    /// <summary>Every activity source and meter of ours: WineFunctions.Ingest, .Sink, .Predict, .Ratings, .Zones, ...</summary>
    private const string Ours = "WineFunctions.*";

    public static TelemetryExport Start(Uri collector)
    {
        var endpoint = collector.ToString().TrimEnd('/');
        void Configure(OtlpExporterOptions options, string signal)
        {
            options.Protocol = OtlpExportProtocol.HttpProtobuf;
            options.Endpoint = new Uri($"{endpoint}/v1/{signal}");
        }
        var resource = ResourceBuilder.CreateDefault().AddService("wine-up");
        var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource)
            .AddSource(Ours, "Microsoft.AspNetCore")
            .AddOtlpExporter(o => Configure(o, "traces"))
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource)
            .AddMeter(Ours, "Microsoft.AspNetCore.Hosting")
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, "metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000;
            })
            .Build();
        return new TelemetryExport(tracing, metrics);
    }

    public void Dispose()
    {
        tracing.Dispose();
        metrics.Dispose();
    }
}
