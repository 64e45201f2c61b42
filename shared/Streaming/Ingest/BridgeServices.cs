using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WineFunctions.Hosting;

namespace WineFunctions.Ingest;

/// <summary>The MQTT -> Kafka bridge, wired in one place: its container and wine up.</summary>
public static class BridgeServices
{
    /// <summary>The bridge and its metrics; a bad setting stops the program at start, naming every one at fault.</summary>
    public static IServiceCollection AddBridge(this IServiceCollection services, BridgeOptions options)
    {
        SettingsException.ThrowIfAny("Bridge settings", options.Problems());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => new BridgeMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton<SampleBridge>();
        return services;
    }
}
