using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Lake;

namespace WineFunctions.Sink;

/// <summary>The sink behind the Functions host's Kafka trigger, wired in one place.</summary>
public static class SinkServices
{

    /// <summary>
    /// The lake the sink sees (<c>Lake</c>, <c>Zone</c>), and the run store and batch sink that write
    /// Kafka batches into it (<c>Sink:Format</c>: Parquet or JsonLines), and the archive of the bridge's dead letters.
    /// A bad setting stops the host at start.
    /// </summary>
    public static IServiceCollection AddSink(this IServiceCollection services, IConfiguration configuration)
    {
        SampleFormat format;
        try
        {
            format = ConfigurationValues.Enum(configuration.GetSection("Sink"), "Format", SampleFormat.Parquet);
        }
        catch (FormatException exception)
        {
            throw new SettingsException(exception.Message);
        }
        services.AddFunctionLake(configuration, "sink");
        services.AddSingleton(sp => new RunStore(sp.GetRequiredService<IObjectStore>(), format, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RunStore>>()));
        services.AddSingleton(sp => new SinkMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<FunctionBatchSink>();
        services.AddSingleton<BridgeDeadLetterArchive>();
        return services;
    }
}
