using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WineFunctions.Telemetry;

namespace WineFunctions.Lambda;

/// <summary>
/// A custom runtime's telemetry: the loggers (console, which Lambda sends to CloudWatch Logs, and OTLP
/// when a collector is set) and the tracer and meter providers of <see cref="TelemetryExport"/>.
/// Lambda freezes the environment as soon as the next invocation is asked for, so whatever was
/// recorded is flushed after each invocation rather than on a timer.
/// </summary>
public sealed class LambdaTelemetry : IDisposable
{
    /// <summary>Flushing waits at most this long, so that an unreachable collector cannot eat the next invocation's time.</summary>
    public static readonly TimeSpan FlushBudget = TimeSpan.FromSeconds(2);

    private readonly ServiceProvider _services;
    private readonly TracerProvider? _tracing;
    private readonly MeterProvider? _metrics;
    private readonly LoggerProvider? _logs;

    private LambdaTelemetry(ServiceProvider services)
    {
        _services = services;
        Loggers = services.GetRequiredService<ILoggerFactory>();
        // Without a host nobody starts the providers: resolving them does.
        _tracing = services.GetService<TracerProvider>();
        _metrics = services.GetService<MeterProvider>();
        _logs = services.GetService<LoggerProvider>();
    }

    public ILoggerFactory Loggers { get; }

    /// <exception cref="Hosting.SettingsException">The collector's setting is malformed; the message names it.</exception>
    public static LambdaTelemetry Create(IConfiguration configuration, string service, Action<ILoggingBuilder> console)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(console);
        services.AddWineTelemetry(configuration, service);
        return new LambdaTelemetry(services.BuildServiceProvider());
    }

    /// <summary>Exports what the last invocation recorded, before the runtime asks for the next one.</summary>
    public void Flush()
    {
        // One budget for all three signals, so the whole flush stays within it.
        var started = Stopwatch.GetTimestamp();
        int Left() => Math.Max(0, (int)(FlushBudget - Stopwatch.GetElapsedTime(started)).TotalMilliseconds);
        _tracing?.ForceFlush(Left());
        _metrics?.ForceFlush(Left());
        _logs?.ForceFlush(Left());
    }

    public void Dispose() => _services.Dispose();
}
