using System.Collections.Concurrent;

namespace WineFunctions.Ratings;

/// <summary>
/// Batch cards kept for a second, because cards are read far more often than batches are rated.
/// A rating or score accepted by this process makes its batch's card stale at once (a version per
/// batch, so a card read before the write is never kept after it): a customer sees their own
/// rating immediately; ratings taken by another instance show within <see cref="KeepFor"/>.
/// </summary>
public sealed class CardCache(TimeProvider time)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(1);
    private const int MaxCards = 100_000;

    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, (BatchCard Card, long Version, long ReadAt)> _cards = new(StringComparer.Ordinal);

    public async Task<BatchCard> GetAsync(string batchId, Func<Task<BatchCard>> read)
    {
        var version = _versions.GetValueOrDefault(batchId);
        if (_cards.TryGetValue(batchId, out var cached) && cached.Version == version && time.GetElapsedTime(cached.ReadAt) < KeepFor)
        {
            return cached.Card;
        }
        var readAt = time.GetTimestamp();
        var card = await read();
        if (_cards.Count >= MaxCards)
        {
            _cards = new ConcurrentDictionary<string, (BatchCard, long, long)>(StringComparer.Ordinal);
        }
        _cards[batchId] = (card, version, readAt);
        return card;
    }

    /// <summary>Called after a rating or score for the batch is committed.</summary>
    public void Changed(string batchId) => _versions.AddOrUpdate(batchId, 1, (_, v) => v + 1);
}
