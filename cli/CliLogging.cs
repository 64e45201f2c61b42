using Microsoft.Extensions.Logging;

namespace WineFunctions.Cli;

internal static class CliLogging
{
    /// <summary>Warnings and errors on standard error (standard output is for progress); everything with --verbose.</summary>
    /// <param name="collector">An OTLP collector that gets the same logs (<c>wine up --otlp</c>).</param>
    public static ILoggerFactory Create(bool verbose, Uri? collector = null) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        if (collector is not null)
        {
            CollectorExport.AddLogs(builder, collector);
        }
    });
}
