using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WineFunctions.Hosting;

/// <summary>
/// The clock and loggers of a process that is not a generic host (wine up, the CLI), so that each
/// service's own <c>AddX</c> wiring serves there exactly as in its function.
/// </summary>
public static class ProcessServices
{
    public static IServiceCollection AddProcessBasics(this IServiceCollection services, TimeProvider time, ILoggerFactory loggers)
    {
        services.AddSingleton(time);
        services.AddSingleton(loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        return services;
    }

    /// <summary>A container of one service, built from its <c>AddX</c> wiring, on this process's clock and loggers.</summary>
    public static ServiceProvider Build(TimeProvider time, ILoggerFactory loggers, Action<IServiceCollection> wire)
    {
        var services = new ServiceCollection().AddProcessBasics(time, loggers);
        wire(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
