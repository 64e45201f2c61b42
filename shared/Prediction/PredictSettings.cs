namespace WineFunctions.Prediction;

/// <summary>Settings of prediction (configuration section <c>Predict</c>).</summary>
public sealed record PredictSettings
{
    /// <summary>How often, at most, the champion alias is read to see whether a new model was promoted.</summary>
    public TimeSpan ChampionCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Problems()
    {
        if (ChampionCheckInterval < TimeSpan.Zero || ChampionCheckInterval > TimeSpan.FromHours(1))
        {
            yield return "Predict:ChampionCheckSeconds must be between 0 and 3600.";
        }
    }
}

/// <summary>No model has been promoted yet, so nothing can be predicted.</summary>
public sealed class NoChampionException(string location) : InvalidOperationException($"no model has been promoted in {location} yet: train and promote one first");
