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
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>, ...), as Terraform sets it for the Lambda's and ECS's collector.
/// A platform with its own exporter (Azure Monitor for the Function Apps and the Container App, when
/// Terraform sets <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>) adds it to the builder returned. With
/// neither, nothing is wired: nobody listens, so no span or measurement is made at all.
/// docs/operations.md lists the spans and instruments.
/// </summary>
public static class TelemetryExport
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Every activity source and meter of ours: WineFunctions.Ingest, .Sink, .Predict, .Lambda, .Ratings, .Zones, ...</summary>
    public const string Ours = "WineFunctions.*";

    /// <returns>The builder, to add a platform's exporter to; none when no exporter is configured.</returns>
    /// <exception cref="SettingsException"><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set but is not an absolute http(s) URL.</exception>
    public static OpenTelemetryBuilder? AddWineTelemetry(this IServiceCollection services, IConfiguration configuration, string service)
    {
        var otlp = OtlpEndpoint(configuration);
        if (otlp is null && string.IsNullOrWhiteSpace(configuration[AzureMonitorSetting]))
        {
            return null;
        }
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(service))
            .WithTracing(tracing => tracing.AddSource(Ours))
            .WithMetrics(metrics => metrics.AddMeter(Ours))
            .WithLogging();
        if (otlp is not null)
        {
            telemetry.UseOtlpExporter();
        }
        return telemetry;
    }

    /// <summary>The collector named by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or none when it is not set.</summary>
    /// <exception cref="SettingsException">The setting is not an absolute http(s) URL (the exporter would drop everything silently).</exception>
    public static Uri? OtlpEndpoint(IConfiguration configuration) => configuration[OtlpEndpointSetting] switch
    {
        null or "" => null,
        var text when Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" => url,
        var text => throw new SettingsException($"Telemetry settings: {OtlpEndpointSetting} is '{text}', not an absolute http(s) URL of an OTLP collector"),
    };
}
