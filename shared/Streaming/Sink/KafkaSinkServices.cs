using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Lake;

namespace WineFunctions.Sink;

/// <summary>The consumer-group sink (wine up, wine sink in a container), wired in one place.</summary>
public static class KafkaSinkServices
{
    /// <summary>
    /// The sink host reading <paramref name="options"/>' topic into the registered lake, and its metrics; and the host
    /// keeping the bridge's dead letters, run when <see cref="SinkOptions.DeadLetterTopic"/> names the topic.
    /// A bad setting stops the program at start, naming it.
    /// </summary>
    public static IServiceCollection AddKafkaSink(this IServiceCollection services, SinkOptions options)
    {
        SettingsException.ThrowIfAny("Sink settings", options.Problems());
        services.AddSingleton(options);
        services.AddSingleton(sp => new SinkMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton(sp => new KafkaSinkHost(options, sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<KafkaSinkHost>>(), sp.GetRequiredService<SinkMetrics>()));
        services.AddSingleton(sp => new BridgeDeadLetterArchive(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<ILogger<BridgeDeadLetterArchive>>()));
        services.AddSingleton(sp => new KafkaDeadLetterHost(options, sp.GetRequiredService<BridgeDeadLetterArchive>(), sp.GetRequiredService<ILogger<KafkaDeadLetterHost>>()));
        return services;
    }
}
