using Microsoft.Extensions.Logging;

namespace WineFunctions.Cli;

internal static class CliLogging
{
    /// <summary>Warnings and errors on standard error (standard output is for progress); everything with --verbose.</summary>
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));
}
