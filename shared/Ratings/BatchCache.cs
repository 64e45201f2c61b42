using System.Collections.Concurrent;

namespace WineFunctions.Ratings;

/// <summary>
/// Batches as last read from the index, kept a few seconds: a batch changes only when the lake
/// gets new samples or predictions, and every card and rating needs it. Cleared whenever this
/// process indexes something; another instance's indexing shows here within <see cref="KeepFor"/>.
/// Ratings and scores are never cached: a card always shows the latest.
/// </summary>
public sealed class BatchCache(TimeProvider time)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(5);

    private ConcurrentDictionary<string, (Batch? Batch, long ReadAt)> _batches = new(StringComparer.Ordinal);

    public async Task<Batch?> GetAsync(string batchId, Func<string, Task<Batch?>> read)
    {
        if (_batches.TryGetValue(batchId, out var cached) && time.GetElapsedTime(cached.ReadAt) < KeepFor)
        {
            return cached.Batch;
        }
        var readAt = time.GetTimestamp();
        var batch = await read(batchId);
        if (_batches.Count > 100_000)
        {
            Clear(); // unknown ids are cached too: bound what a caller inventing ids can make us hold
        }
        _batches[batchId] = (batch, readAt);
        return batch;
    }

    public void Clear() => _batches = new ConcurrentDictionary<string, (Batch?, long)>(StringComparer.Ordinal);
}
