using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using WineFunctions.Hosting;
using WineFunctions.Lake;
using WineFunctions.Lambda;

namespace WineFunctions.Prediction;

/// <summary>
/// The predict function wired in one place: the Lambda's bootstrap builds it from its environment,
/// wine up's lake functions from the stack's lake. No container: the bootstrap is NativeAOT and
/// starts cold, so the few parts are put together by hand.
/// </summary>
public sealed record PredictFunction(RawObjectPredictor Predictor, RawSampleEventHandler Handler)
{
    public const string ChampionCheckSetting = "Predict:ChampionCheckSeconds";

    /// <param name="bucket">The S3 bucket whose events are the lake's; null takes any bucket (the local stack).</param>
    public static PredictFunction Create(IObjectStore lake, string? bucket, PredictSettings settings, TimeProvider time, ILoggerFactory loggers,
        PredictMetrics? metrics = null)
    {
        var predictor = RawObjectPredictor.Create(lake, settings, time, loggers, metrics);
        return new(predictor, new RawSampleEventHandler(predictor, bucket, loggers.CreateLogger<RawSampleEventHandler>(), predictor.Champion.PromotionHappened));
    }

    /// <summary>From the Lambda's settings (<c>Lake__*</c>, <c>Zone__*</c>, <c>Predict__ChampionCheckSeconds</c>).</summary>
    /// <exception cref="LambdaConfigurationException">A setting is missing or wrong; the message names it.</exception>
    public static PredictFunction FromConfiguration(IConfiguration configuration, TimeProvider time, ILoggerFactory loggers)
    {
        try
        {
            var (lake, zone) = FunctionLake.ReadSettings(configuration);
            return Create(FunctionLake.Open(lake, zone, "predict", time, loggers), lake.Kind == LakeKind.S3 ? lake.S3!.Bucket : null, ReadSettings(configuration), time, loggers);
        }
        catch (SettingsException exception)
        {
            // The Runtime API is told the init failed for its configuration, not for a fault.
            throw new LambdaConfigurationException(exception.Message);
        }
    }

    // Read by hand: the configuration binder cannot set init-only properties under NativeAOT.
    private static PredictSettings ReadSettings(IConfiguration configuration)
    {
        var settings = new PredictSettings();
        if (configuration[ChampionCheckSetting] is { } seconds)
        {
            settings = int.TryParse(seconds, CultureInfo.InvariantCulture, out var value)
                ? settings with { ChampionCheckInterval = TimeSpan.FromSeconds(value) }
                : throw new SettingsException($"{ChampionCheckSetting} is '{seconds}', not a whole number of seconds");
        }
        SettingsException.ThrowIfAny("Predict settings", settings.Problems());
        return settings;
    }
}
