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
        return new RawSampleEventHandler(predictor, lake.Kind == LakeKind.S3 ? lake.S3!.Bucket : null, loggers.CreateLogger<RawSampleEventHandler>());
    }

    // LEAD: wire RawObjectPredictor — e.g. RawObjectPredictor.Create(lake, configuration.GetSection("Predict").Get<PredictSettings>() ?? new(), time, loggers),
    // then delete UnwiredRawObjectPredictor.
    private static IRawObjectPredictor CreatePredictor(IObjectStore lake, IConfiguration configuration, TimeProvider time, ILoggerFactory loggers) =>
        new UnwiredRawObjectPredictor(lake);
}
