using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WineFunctions.Tests.Infrastructure;

/// <summary>An OpenTelemetry collector's OTLP/HTTP receiving end on real Kestrel: it keeps what each export posted.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private LoopbackWebApp? _app;

    public string Url => _app!.Url;

    /// <summary>Each export: its path (/v1/traces, /v1/metrics, /v1/logs), content type and body length.</summary>
    public ConcurrentQueue<(string Path, string? ContentType, long Bytes)> Exports { get; } = new();

    public static async Task<OtlpCollector> StartAsync()
    {
        var collector = new OtlpCollector();
        collector._app = await LoopbackWebApp.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector.Exports.Enqueue((context.Request.Path, context.Request.ContentType, body.Length));
            return Results.Ok();
        }));
        return collector;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
