using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using WineFunctions.Hosting;
using WineFunctions.Telemetry;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Telemetry;

/// <summary>
/// The telemetry wiring every deployable shares (<see cref="TelemetryExport.AddWineTelemetry"/>), run in a
/// real host against an OTLP/HTTP collector on Kestrel: traces, metrics and logs arrive from our sources
/// when OpenTelemetry's own settings name a collector, nothing is wired when nothing does, and a malformed
/// collector address stops the program at start, naming the setting.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task A_host_wired_by_its_settings_exports_our_traces_metrics_and_logs_over_otlp()
    {
        var exports = await ExportsAsync(new() { [TelemetryExport.OtlpProtocolSetting] = "http/protobuf" });
        var paths = exports.Where(e => e.Bytes > 0 && e.ContentType == "application/x-protobuf").Select(e => e.Path).ToHashSet();
        Assert.Equal(["/v1/logs", "/v1/metrics", "/v1/traces"], paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_signal_set_to_none_is_left_out_of_the_otlp_export()
    {
        var exports = await ExportsAsync(new() { [TelemetryExport.OtlpProtocolSetting] = "http/protobuf", ["OTEL_LOGS_EXPORTER"] = "none" });
        var paths = exports.Where(e => e.Bytes > 0).Select(e => e.Path).ToHashSet();
        Assert.Contains("/v1/traces", paths);
        Assert.DoesNotContain("/v1/logs", paths);
    }

    /// <summary>
    /// A host wired by <paramref name="settings"/> and a stand-in collector's address records a measurement,
    /// a span and a warning, and stops (which flushes every signal): what the collector received.
    /// </summary>
    private static async Task<List<(string Path, string? ContentType, long Bytes)>> ExportsAsync(Dictionary<string, string?> settings)
    {
        await using var collector = await OtlpCollector.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { [TelemetryExport.OtlpEndpointSetting] = collector.Url });
        Assert.NotNull(builder.Services.AddWineTelemetry(builder.Configuration, "wine-test"));
        using (var host = builder.Build())
        {
            await host.StartAsync();
            using var meter = new Meter("WineFunctions.Test");
            meter.CreateCounter<long>("wine.test.samples").Add(3);
            using (WineTelemetry.Sink.StartActivity("process wine.samples", ActivityKind.Consumer))
            {
                host.Services.GetRequiredService<ILogger<TelemetryExportTests>>().LogWarning("Sample {SampleId} dead-lettered", "s-1");
            }
            await host.StopAsync();
        }
        return [.. collector.Exports];
    }

    [Fact]
    public void Without_a_collector_or_application_insights_nothing_listens()
    {
        var services = new ServiceCollection();
        Assert.Null(services.AddWineTelemetry(new ConfigurationBuilder().Build(), "wine-test"));
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("collector:4318")]
    [InlineData("localhost")]
    [InlineData("ftp://collector:4318")]
    public void A_malformed_collector_address_stops_the_program_naming_the_setting(string endpoint)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryExport.OtlpEndpointSetting] = endpoint }).Build();
        var refused = Assert.Throws<SettingsException>(() => new ServiceCollection().AddWineTelemetry(configuration, "wine-test"));
        Assert.Contains($"{TelemetryExport.OtlpEndpointSetting} is '{endpoint}'", refused.Message);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http", "not grpc or http/protobuf")]
    [InlineData("OTEL_LOGS_EXPORTER", "console", "not otlp or none")]
    public void A_protocol_or_exporter_the_program_cannot_speak_stops_it_naming_the_setting(string setting, string value, string why)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryExport.OtlpEndpointSetting] = "http://collector:4318",
            [setting] = value,
        }).Build();
        var refused = Assert.Throws<SettingsException>(() => new ServiceCollection().AddWineTelemetry(configuration, "wine-test"));
        Assert.Contains($"{setting} is '{value}', {why}", refused.Message);
    }
}
