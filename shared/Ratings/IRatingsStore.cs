namespace WineFunctions.Ratings;

/// <summary>A lake object an accepted rating or score owes the lake: written by <see cref="LakePublisher"/>.</summary>
public sealed record LakeWrite(string Key, string Content);

/// <summary>A POST remembered under its Idempotency-Key: the request's fingerprint and the answer given.</summary>
public sealed record IdempotencyEntry(string Caller, string Key, string RequestHash, int Status, string Body);

/// <summary>
/// The ratings API's database: the batch index built from the lake, the ratings and scores, and
/// the idempotency keys. The lake stays the source of truth; this can be rebuilt from it.
/// </summary>
public interface IRatingsStore : IAsyncDisposable
{
    /// <summary>Creates the tables when missing.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Whether the lake object has already been added to the batch index.</summary>
    Task<bool> IsIndexedAsync(string objectKey, CancellationToken cancellationToken);

    /// <summary>
    /// Adds one lake object's tallies to the batches, once: false (and nothing changed) when the
    /// object was already indexed, e.g. by another instance.
    /// </summary>
    Task<bool> IndexAsync(string objectKey, IReadOnlyCollection<BatchTally> tallies, CancellationToken cancellationToken);

    Task<Batch?> GetBatchAsync(string batchId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Batch>> AllBatchesAsync(CancellationToken cancellationToken);

    Task<CataloguePage> CatalogueAsync(CatalogueFilter filter, CancellationToken cancellationToken);

    /// <summary>What customers and tasters think of a batch, in one round trip.</summary>
    Task<(RatingSummary Customers, TasterSummary Tasters)> OpinionsAsync(string batchId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Rating>> RatingsByCustomerAsync(string customerId, CancellationToken cancellationToken);

    Task<IdempotencyEntry?> FindIdempotencyAsync(string caller, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the rating, its lake object to write (the outbox) and, when given, its idempotency
    /// entry in one transaction. Returns the entry already stored under the same caller and key
    /// instead (nothing stored) when a concurrent retry got there first.
    /// </summary>
    Task<IdempotencyEntry?> AddRatingAsync(Rating rating, LakeWrite lakeWrite, IdempotencyEntry? idempotency, CancellationToken cancellationToken);

    Task<IdempotencyEntry?> AddScoreAsync(TasterScore score, LakeWrite lakeWrite, IdempotencyEntry? idempotency, CancellationToken cancellationToken);

    /// <summary>The oldest lake objects accepted but not yet written.</summary>
    Task<IReadOnlyList<LakeWrite>> PendingLakeWritesAsync(int max, CancellationToken cancellationToken);

    Task<long> PendingLakeWriteCountAsync(CancellationToken cancellationToken);

    /// <summary>Forgets outbox entries once their objects are in the lake.</summary>
    Task LakeWrittenAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Rebuild: adds a rating or score read from the lake unless its id is already there.</summary>
    Task<bool> ImportRatingAsync(Rating rating, CancellationToken cancellationToken);

    Task<bool> ImportScoreAsync(TasterScore score, CancellationToken cancellationToken);

    Task<(long Ratings, long Scores, long Batches)> CountsAsync(CancellationToken cancellationToken);
}
