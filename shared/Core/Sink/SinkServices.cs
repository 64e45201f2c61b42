using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Lake;

namespace WineFunctions.Sink;

/// <summary>The sink behind the Functions host's Kafka trigger, wired in one place.</summary>
public static class SinkServices
{
    public const string FormatSetting = "Sink:Format";

    /// <summary>
    /// The lake the sink sees (<c>Lake</c>, <c>Zone</c>), and the run store and batch sink that write
    /// Kafka batches into it (<c>Sink:Format</c>: Parquet or JsonLines). A bad setting stops the host at start.
    /// </summary>
    public static IServiceCollection AddSink(this IServiceCollection services, IConfiguration configuration)
    {
        var format = configuration[FormatSetting] switch
        {
            null => SampleFormat.Parquet,
            var text when Enum.TryParse<SampleFormat>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(text.Trim()[0]) => parsed,
            var text => throw new SettingsException($"{FormatSetting} is '{text}', not one of {string.Join(", ", Enum.GetNames<SampleFormat>())}"),
        };
        services.AddFunctionLake(configuration, "sink");
        services.AddSingleton(sp => new RunStore(sp.GetRequiredService<IObjectStore>(), format, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RunStore>>()));
        services.AddSingleton<FunctionBatchSink>();
        return services;
    }
}
