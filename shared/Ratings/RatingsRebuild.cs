using Microsoft.Extensions.Logging;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>What a rebuild found in the lake and applied to the database (revisions that changed what stands).</summary>
public sealed record RebuildReport(int ObjectsIndexed, int RatingRevisionsApplied, int ScoreRevisionsApplied, int Unreadable);

/// <summary>
/// Rebuilds the API's database from the lake (after losing it, or into a new one): the batch
/// index from the raw samples and predictions, then every revision of every rating and score, of
/// which each person's standing one wins. Safe to run again and beside a running API. Idempotency keys are not in
/// the lake; a retry after a rebuild with an old key is a new rating.
/// </summary>
public sealed class RatingsRebuild(IObjectStore lake, IRatingsStore store, BatchIndexer indexer, ILogger<RatingsRebuild> logger)
{
    public async Task<RebuildReport> RunAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        var indexed = await indexer.RefreshAsync(cancellationToken);
        var (ratings, unreadable) = await ImportAsync(Opinions.Ratings, cancellationToken);
        var (scores, unreadableScores) = await ImportAsync(Opinions.Scores, cancellationToken);
        unreadable += unreadableScores;
        logger.LogInformation("Rebuilt the ratings database from {Lake}: {Objects} sample/prediction objects, {Ratings} ratings, {Scores} scores, {Unreadable} unreadable",
            lake.Location, indexed, ratings, scores, unreadable);
        return new RebuildReport(indexed, ratings, scores, unreadable);
    }

    /// <summary>Every revision in the lake, in any order: the one that stands wins, as it did in the live database.</summary>
    private async Task<(int Applied, int Unreadable)> ImportAsync<T>(OpinionKind<T> kind, CancellationToken cancellationToken) where T : class, IOpinion
    {
        var (applied, unreadable) = (0, 0);
        await foreach (var entry in lake.ListAsync(kind.LakePrefix, cancellationToken))
        {
            if (await ReadAsync(entry.Key, kind.Read, cancellationToken) is not { } opinion)
            {
                unreadable++;
            }
            else if (await store.ImportAsync(kind, opinion, cancellationToken))
            {
                applied++;
            }
        }
        return (applied, unreadable);
    }

    private async Task<T?> ReadAsync<T>(string key, Func<byte[], T?> read, CancellationToken cancellationToken) where T : class
    {
        if (!key.EndsWith(".json", StringComparison.Ordinal) || await lake.GetAsync(key, cancellationToken) is not { } stored)
        {
            return null;
        }
        try
        {
            return read(stored.Content);
        }
        catch (System.Text.Json.JsonException e)
        {
            logger.LogWarning(e, "{Key} is not a rating object; skipped", key);
            return null;
        }
    }
}
