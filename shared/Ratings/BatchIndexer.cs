using Microsoft.Extensions.Logging;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>
/// Keeps the database's batch index up to date with the lake: every raw samples object and every
/// predictions object is added once (the database remembers which), so a refresh reads only what
/// arrived since the last one. The lake's raw samples are the only source of batch ids.
/// </summary>
public sealed class BatchIndexer(IObjectStore lake, IRatingsStore store, ILogger<BatchIndexer> logger, RatingsMetrics metrics, BatchCache? cache = null)
{
    private const int KeysPerQuery = 500; // the database is asked about a page of the listing at once, not about each object

    /// <summary>Indexes what is new in the lake; returns how many objects were added.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        // Samples before predictions, so a batch's predictions find its row (either order is still correct).
        var added = await IndexNewAsync(LakeLayout.RawSamples,
            key => key.EndsWith(".parquet", StringComparison.Ordinal) || key.EndsWith(".jsonl", StringComparison.Ordinal), ReadSamplesAsync, cancellationToken);
        added += await IndexNewAsync(LakeLayout.Predictions, key => key.EndsWith(".parquet", StringComparison.Ordinal), ReadPredictionsAsync, cancellationToken);
        if (added > 0)
        {
            cache?.Clear();
            logger.LogInformation("Indexed {Objects} new lake objects into the batch index", added);
        }
        return added;
    }

    private async Task<int> IndexNewAsync(string prefix, Func<string, bool> readable,
        Func<byte[], string, CancellationToken, Task<IReadOnlyCollection<BatchTally>>> read, CancellationToken cancellationToken)
    {
        var added = 0;
        var keys = lake.ListAsync(prefix, cancellationToken).Select(entry => entry.Key).Where(readable);
        await foreach (var page in keys.Chunk(KeysPerQuery).WithCancellation(cancellationToken))
        {
            var indexed = await store.IndexedAmongAsync(page, cancellationToken);
            foreach (var key in page.Where(key => !indexed.Contains(key)))
            {
                if (await IndexAsync(key, read, cancellationToken))
                {
                    added++;
                }
            }
        }
        return added;
    }

    private async Task<bool> IndexAsync(string key, Func<byte[], string, CancellationToken, Task<IReadOnlyCollection<BatchTally>>> read, CancellationToken cancellationToken)
    {
        if (await lake.GetAsync(key, cancellationToken) is not { } stored)
        {
            return false;
        }
        IReadOnlyCollection<BatchTally> tallies;
        try
        {
            tallies = await read(stored.Content, key, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left unindexed: the sink's and predict's dead-letter places own bad data; this only reports it.
            logger.LogWarning(e, "Could not read {Key} for the batch index", key);
            metrics.UnreadableObject();
            return false;
        }
        var indexed = await store.IndexAsync(key, tallies, cancellationToken);
        if (indexed)
        {
            metrics.ObjectIndexed();
        }
        return indexed;
    }

    private static async Task<IReadOnlyCollection<BatchTally>> ReadSamplesAsync(byte[] content, string key, CancellationToken cancellationToken)
    {
        var samples = key.EndsWith(".jsonl", StringComparison.Ordinal)
            ? SampleJsonLines.Read(content)
            : await SampleParquet.ReadAsync(content, cancellationToken);
        var tallies = new Dictionary<string, BatchTally>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (!tallies.TryGetValue(sample.BatchId, out var tally))
            {
                tallies[sample.BatchId] = tally = new BatchTally { BatchId = sample.BatchId };
            }
            tally.Add(sample);
        }
        return tallies.Values;
    }

    private static async Task<IReadOnlyCollection<BatchTally>> ReadPredictionsAsync(byte[] content, string key, CancellationToken cancellationToken)
    {
        var tallies = new Dictionary<string, BatchTally>(StringComparer.Ordinal);
        foreach (var row in await PredictionRows.ReadAsync(content, cancellationToken))
        {
            if (!tallies.TryGetValue(row.BatchId, out var tally))
            {
                tallies[row.BatchId] = tally = new BatchTally { BatchId = row.BatchId };
            }
            tally.Add(row);
        }
        return tallies.Values;
    }
}
