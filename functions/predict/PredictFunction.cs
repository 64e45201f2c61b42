using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;
using WineFunctions.Lambda;
using WineFunctions.Prediction;

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
        var predictor = CreatePredictor(lake.Open(), configuration, time, loggers);
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
