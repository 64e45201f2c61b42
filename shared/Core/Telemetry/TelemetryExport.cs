using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WineFunctions.Hosting;

namespace WineFunctions.Telemetry;

/// <summary>
/// The traces, metrics and logs of every deployable (bridge, Function Apps, Lambda), wired in one place.
/// Every activity source and meter of ours is collected; where they go is OpenTelemetry's own settings:
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>, ...; <c>OTEL_LOGS_EXPORTER=none</c> and the like leave a signal out),
/// as Terraform sets it for the Lambda's and ECS's collector.
/// A platform with its own exporter (Azure Monitor for the Function Apps and the Container App, when
/// Terraform sets <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>) adds it to the builder returned. With
/// neither, nothing is wired: nobody listens, so no span or measurement is made at all.
/// docs/operations.md lists the spans and instruments.
/// </summary>
public static class TelemetryExport
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocolSetting = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>OpenTelemetry's per-signal settings: <c>none</c> leaves that signal out of the OTLP export (a collector without its pipeline).</summary>
    public static readonly IReadOnlyList<string> SignalSettings = ["OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER"];

    /// <summary>Every activity source and meter of ours: WineFunctions.Ingest, .Sink, .Predict, .Lambda, .Ratings, .Zones, ...</summary>
    public const string Ours = "WineFunctions.*";

    /// <returns>The builder, to add a platform's exporter to; none when no exporter is configured.</returns>
    /// <exception cref="SettingsException">A telemetry setting is malformed; the message names it.</exception>
    public static OpenTelemetryBuilder? AddWineTelemetry(this IServiceCollection services, IConfiguration configuration, string service)
    {
        var otlp = OtlpEndpoint(configuration);
        if (otlp is null && string.IsNullOrWhiteSpace(configuration[AzureMonitorSetting]))
        {
            return null;
        }
        var (traces, metrics, logs) = (Exported(configuration, SignalSettings[0]), Exported(configuration, SignalSettings[1]), Exported(configuration, SignalSettings[2]));
        return services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(service))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Ours);
                if (otlp is not null && traces)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(meters =>
            {
                meters.AddMeter(Ours);
                if (otlp is not null && metrics)
                {
                    meters.AddOtlpExporter();
                }
            })
            .WithLogging(logging =>
            {
                if (otlp is not null && logs)
                {
                    logging.AddOtlpExporter();
                }
            });
    }

    /// <summary>The collector named by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or none when it is not set.</summary>
    /// <exception cref="SettingsException">
    /// The address is not an absolute http(s) URL, or <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> names no protocol the
    /// exporter speaks (either way the exporter would drop everything silently).
    /// </exception>
    public static Uri? OtlpEndpoint(IConfiguration configuration)
    {
        foreach (var signal in SignalSettings)
        {
            Exported(configuration, signal);
        }
        var endpoint = configuration[OtlpEndpointSetting] switch
        {
            null or "" => null,
            var text when ConfigurationValues.HttpUrl(text) is { } url => url,
            var text => throw new SettingsException($"Telemetry settings: {OtlpEndpointSetting} is '{text}', not an absolute http(s) URL of an OTLP collector"),
        };
        return configuration[OtlpProtocolSetting] switch
        {
            null or "" or "grpc" or "http/protobuf" => endpoint,
            var protocol => throw new SettingsException($"Telemetry settings: {OtlpProtocolSetting} is '{protocol}', not grpc or http/protobuf"),
        };
    }

    private static bool Exported(IConfiguration configuration, string setting) => configuration[setting] switch
    {
        null or "" or "otlp" => true,
        "none" => false,
        var value => throw new SettingsException($"Telemetry settings: {setting} is '{value}', not otlp or none"),
    };
}
