using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Lambda;
using WineFunctions.Prediction;
using WineFunctions.Zones;

namespace WineFunctions.Functions.Predict;

/// <summary>Composes the predict handler from configuration; a bad setting stops init with its name.</summary>
internal static class PredictFunction
{
    public static ILambdaHandler Create(IConfiguration configuration, TimeProvider time, ILoggerFactory loggers)
    {
        LakeSettings lake;
        try
        {
            lake = LakeConfiguration.Read(configuration);
        }
        catch (FormatException exception)
        {
            throw new LambdaConfigurationException($"Lake settings: {exception.Message}");
        }
        if (lake.Problems() is { Count: > 0 } problems)
        {
            throw new LambdaConfigurationException("Lake settings: " + string.Join("; ", problems));
        }
        // Read by hand like the lake: the binder cannot set init-only properties under NativeAOT.
        var zone = new ZoneSettings { Name = configuration["Zone:Name"] ?? ZoneSettings.Local, Cloud = configuration["Zone:Cloud"] ?? ZoneSettings.Local };
        if (zone.Problems(lake.Zone) is { Count: > 0 } zoneProblems)
        {
            throw new LambdaConfigurationException("Zone settings: " + string.Join("; ", zoneProblems));
        }
        var store = lake.Open().InZone(zone, lake.Zone, "predict", time, loggers.CreateLogger<ZonedObjectStore>());
        var predictor = CreatePredictor(store, configuration, time, loggers);
        return new RawSampleEventHandler(predictor, lake.Kind == LakeKind.S3 ? lake.S3!.Bucket : null, loggers.CreateLogger<RawSampleEventHandler>(),
            predictor.Champion.PromotionHappened);
    }

    private static RawObjectPredictor CreatePredictor(IObjectStore lake, IConfiguration configuration, TimeProvider time, ILoggerFactory loggers)
    {
        // Read by hand: the configuration binder cannot set init-only properties under NativeAOT.
        var settings = new PredictSettings();
        if (configuration["Predict:ChampionCheckSeconds"] is { } seconds)
        {
            settings = int.TryParse(seconds, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? settings with { ChampionCheckInterval = TimeSpan.FromSeconds(value) }
                : throw new LambdaConfigurationException($"Predict:ChampionCheckSeconds is '{seconds}', not a whole number of seconds");
        }
        if (settings.Problems().ToList() is { Count: > 0 } problems)
        {
            throw new LambdaConfigurationException(string.Join("; ", problems));
        }
        return RawObjectPredictor.Create(lake, settings, time, loggers);
    }
}
