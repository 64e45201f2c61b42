using Microsoft.ML.Trainers.LightGbm;
using WineFunctions.Models;

namespace WineFunctions.Training;

/// <summary>
/// Puts <see cref="TrainerSettings"/> onto ML.NET's LightGbm options, for the class model, the score
/// model and the tune benchmark's candidates alike, so a model card always names what was fitted.
/// The caller sets what differs between them: the seed and the example weight column.
/// </summary>
public static class LightGbmKnobs
{
    public static TOptions Apply<TOptions, TOutput, TTransformer, TModel>(LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase options, TrainerSettings settings)
        where TOptions : LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase, new()
        where TTransformer : Microsoft.ML.ISingleFeaturePredictionTransformer<TModel>
        where TModel : class
    {
        options.NumberOfLeaves = settings.Leaves;
        options.NumberOfIterations = settings.Iterations;
        options.LearningRate = settings.LearningRate;
        options.MinimumExampleCountPerLeaf = settings.MinimumRowsPerLeaf;
        options.NumberOfThreads = 1;
        options.Booster = Booster(new GradientBooster.Options(), settings);
        return (TOptions)options;
    }

    /// <summary>The settings' sampling and regularisation on a booster's options: gradient boosting's here, DART's in the tune benchmark.</summary>
    public static TBooster Booster<TBooster>(TBooster booster, TrainerSettings settings) where TBooster : BoosterParameterBase.OptionsBase
    {
        booster.FeatureFraction = settings.FeatureFraction;
        booster.SubsampleFraction = settings.RowSubsample;
        booster.SubsampleFrequency = settings.RowSubsample < 1 ? 1 : 0;
        booster.L2Regularization = settings.L2Regularization;
        return booster;
    }
}
