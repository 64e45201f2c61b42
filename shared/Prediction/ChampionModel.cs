using Microsoft.Extensions.Logging;
using WineFunctions.Registry;

namespace WineFunctions.Prediction;

/// <summary>
/// The champion, loaded once per container and kept: the alias is read again at most every
/// check interval, or at once after a promotion event, and a new version is swapped in between
/// objects, never while one is being scored (the caller holds the classifier for the whole object).
/// </summary>
public sealed class ChampionModel(ModelRegistry registry, string location, PredictSettings settings, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SampleClassifier? _current;
    private long _checkedAt;
    private volatile bool _promoted;

    /// <summary>Makes the next <see cref="CurrentAsync"/> read the alias, whatever the interval.</summary>
    public void PromotionHappened() => _promoted = true;

    public async Task<SampleClassifier> CurrentAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is not null && !_promoted && time.GetElapsedTime(_checkedAt) < settings.ChampionCheckInterval)
            {
                return _current;
            }
            _promoted = false;
            var alias = await registry.GetChampionAsync(cancellationToken) ?? throw new NoChampionException(location);
            _checkedAt = time.GetTimestamp();
            if (alias.Version != _current?.ModelVersion)
            {
                var card = await registry.GetCardAsync(alias.Version, cancellationToken)
                    ?? throw new InvalidOperationException($"the champion alias names model version {alias.Version}, which has no card");
                var loaded = new SampleClassifier(await registry.ReadArtifactAsync(card.OnnxKey, cancellationToken), alias.Version, card.Decision, card.Reference);
                logger.LogInformation("Champion model version {Version} loaded (was {Previous})", alias.Version, _current?.ModelVersion);
                // An object still being scored on another thread keeps the classifier it was given.
                _current = loaded;
            }
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
