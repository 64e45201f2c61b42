using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Zones;

namespace WineFunctions.Hosting;

/// <summary>
/// The lake as one deployed function sees it: the <c>Lake</c> and <c>Zone</c> settings read without
/// reflection (the same path under NativeAOT and in the Function Apps), checked at start, and the
/// store wrapped in the function's trust zone so its writes carry the zone and crossings are audited.
/// </summary>
public static class FunctionLake
{
    /// <exception cref="SettingsException">A Lake or Zone setting is missing or wrong; the message names it.</exception>
    public static (LakeSettings Lake, ZoneSettings Zone) ReadSettings(IConfiguration configuration)
    {
        LakeSettings lake;
        try
        {
            lake = LakeConfiguration.Read(configuration);
        }
        catch (FormatException exception)
        {
            throw new SettingsException($"Lake settings: {exception.Message}");
        }
        SettingsException.ThrowIfAny("Lake settings", lake.Problems());
        var zone = new ZoneSettings { Name = configuration["Zone:Name"] ?? ZoneSettings.Local, Cloud = configuration["Zone:Cloud"] ?? ZoneSettings.Local };
        SettingsException.ThrowIfAny("Zone settings", zone.Problems(lake.Zone));
        return (lake, zone);
    }

    /// <summary>Opens the lake for <paramref name="function"/>, in its zone.</summary>
    public static IObjectStore Open(LakeSettings lake, ZoneSettings zone, string function, TimeProvider time, ILoggerFactory loggers) =>
        lake.Open().InZone(zone, lake.Zone, function, time, loggers.CreateLogger<ZonedObjectStore>());

    /// <summary>Registers the lake <paramref name="function"/> sees; the settings are checked now, so a bad one stops the host at start.</summary>
    public static IServiceCollection AddFunctionLake(this IServiceCollection services, IConfiguration configuration, string function)
    {
        var (lake, zone) = ReadSettings(configuration);
        services.TryAddSingleton(TimeProvider.System);
        return services.AddSingleton(sp => Open(lake, zone, function, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
    }
}
