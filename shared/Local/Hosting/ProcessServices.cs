using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WineFunctions.Hosting;

/// <summary>
/// The clock and loggers of a process that is not a generic host (wine up, the CLI), so that each
/// service's own <c>AddX</c> wiring serves there exactly as in its function.
/// </summary>
public static class ProcessServices
{
    /// <summary>A container of one service, built from its <c>AddX</c> wiring, on this process's clock and loggers.</summary>
    public static ServiceProvider Build(TimeProvider time, ILoggerFactory loggers, Action<IServiceCollection> wire)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton(loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        wire(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
