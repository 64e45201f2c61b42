using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using WineFunctions.Telemetry;

namespace WineFunctions.Functions;

/// <summary>
/// Application Insights for the deployables Azure runs (the Function Apps and the bridge's Container App):
/// Terraform gives each its connection string, and then traces, metrics and logs go there as well as
/// to any OTLP collector. Compiled into each of them, since only they carry the Azure Monitor exporter.
/// </summary>
internal static class AzureMonitorTelemetry
{
    public static IOpenTelemetryBuilder UseAzureMonitorWhenConnected(this IOpenTelemetryBuilder telemetry, IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration[TelemetryExport.AzureMonitorSetting]) ? telemetry : telemetry.UseAzureMonitorExporter();
}
