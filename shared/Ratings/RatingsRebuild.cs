using Microsoft.Extensions.Logging;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>What a rebuild found in the lake and added to the database.</summary>
public sealed record RebuildReport(int ObjectsIndexed, int RatingsAdded, int ScoresAdded, int Unreadable);

/// <summary>
/// Rebuilds the API's database from the lake (after losing it, or into a new one): the batch
/// index from the raw samples and predictions, then every rating and score object. Safe to run
/// again and beside a running API: everything is added by id, once. Idempotency keys are not in
/// the lake; a retry after a rebuild with an old key is a new rating.
/// </summary>
public sealed class RatingsRebuild(IObjectStore lake, IRatingsStore store, BatchIndexer indexer, ILogger<RatingsRebuild> logger)
{
    public async Task<RebuildReport> RunAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        var indexed = await indexer.RefreshAsync(cancellationToken);
        var (ratings, scores, unreadable) = (0, 0, 0);
        await foreach (var entry in lake.ListAsync(LakeLayout.CustomerRatings, cancellationToken))
        {
            var rating = await ReadAsync(entry.Key, RatingsLake.ReadRating, cancellationToken);
            if (rating is null)
            {
                unreadable++;
            }
            else if (await store.ImportRatingAsync(rating, cancellationToken))
            {
                ratings++;
            }
        }
        await foreach (var entry in lake.ListAsync(LakeLayout.TasterScores, cancellationToken))
        {
            var score = await ReadAsync(entry.Key, RatingsLake.ReadScore, cancellationToken);
            if (score is null)
            {
                unreadable++;
            }
            else if (await store.ImportScoreAsync(score, cancellationToken))
            {
                scores++;
            }
        }
        logger.LogInformation("Rebuilt the ratings database from {Lake}: {Objects} sample/prediction objects, {Ratings} ratings, {Scores} scores, {Unreadable} unreadable",
            lake.Location, indexed, ratings, scores, unreadable);
        return new RebuildReport(indexed, ratings, scores, unreadable);
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
