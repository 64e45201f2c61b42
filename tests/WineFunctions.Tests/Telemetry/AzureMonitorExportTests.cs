using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WineFunctions.Functions;
using WineFunctions.Telemetry;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Telemetry;

/// <summary>
/// The Azure deployables' export as Terraform connects it: a connection string whose ingestion
/// endpoint is a stand-in for Application Insights' track endpoint on Kestrel, which keeps what the
/// Azure Monitor exporter posts.
/// </summary>
public sealed class AzureMonitorExportTests
{
    [Fact]
    public async Task With_a_connection_string_spans_and_logs_go_to_application_insights()
    {
        var received = new ConcurrentQueue<string>();
        await using var ingestion = await LoopbackWebApp.StartAsync(app => app.MapPost("/{**path}", async (HttpContext context) =>
        {
            Stream body = context.Request.Body;
            if (context.Request.Headers.ContentEncoding == "gzip")
            {
                body = new GZipStream(body, CompressionMode.Decompress);
            }
            using var reader = new StreamReader(body, Encoding.UTF8);
            received.Enqueue(context.Request.Path + " " + await reader.ReadToEndAsync());
            return Results.Json(new { itemsReceived = 1, itemsAccepted = 1, errors = Array.Empty<object>() });
        }));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryExport.AzureMonitorSetting] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={ingestion.Url}/",
            // The exporter's default is rate-limited sampling (a few traces a second, none in its first moments): every span here.
            ["OTEL_TRACES_SAMPLER"] = "microsoft.fixed_percentage",
            ["OTEL_TRACES_SAMPLER_ARG"] = "1.0",
        });
        builder.Services.AddWineTelemetry(builder.Configuration, "wine-test")!.UseAzureMonitorWhenConnected(builder.Configuration);
        using (var host = builder.Build())
        {
            await host.StartAsync();
            using (WineTelemetry.Sink.StartActivity("process wine.samples", ActivityKind.Consumer))
            {
                host.Services.GetRequiredService<ILogger<AzureMonitorExportTests>>().LogWarning("Sample {SampleId} dead-lettered", "s-az-1");
            }
            await host.StopAsync(); // stopping flushes every signal
        }

        var posted = string.Join("\n", received);
        Assert.Contains("process wine.samples", posted);
        Assert.Contains("s-az-1", posted);
        Assert.Contains("00000000-0000-0000-0000-000000000001", posted);
    }
}
