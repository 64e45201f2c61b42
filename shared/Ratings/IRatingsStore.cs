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
    /// <summary>Brings the schema to <see cref="RatingsSchema.Version"/>, migrating an older database.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<int> SchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>Which of these lake objects have already been added to the batch index, in one query.</summary>
    Task<IReadOnlySet<string>> IndexedAmongAsync(IReadOnlyCollection<string> objectKeys, CancellationToken cancellationToken);

    /// <summary>
    /// Adds one lake object's tallies to the batches, once: false (and nothing changed) when the
    /// object was already indexed, e.g. by another instance.
    /// </summary>
    Task<bool> IndexAsync(string objectKey, IReadOnlyCollection<BatchTally> tallies, CancellationToken cancellationToken);

    Task<Batch?> GetBatchAsync(string batchId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Batch>> AllBatchesAsync(CancellationToken cancellationToken);

    Task<CataloguePage> CatalogueAsync(CatalogueFilter filter, CancellationToken cancellationToken);

    /// <summary>What customers and tasters think of a batch, in one round trip, each person once.</summary>
    Task<(RatingSummary Customers, TasterSummary Tasters)> OpinionsAsync(string batchId, CancellationToken cancellationToken);

    Task<IdempotencyEntry?> FindIdempotencyAsync(string caller, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Sets or withdraws one person's opinion of a batch: a new revision with its lake object (the
    /// outbox) and, when a claim is given, its idempotency entry, in one transaction. Returns the
    /// entry already stored under the claim's caller and key instead (nothing changed) when it is taken.
    /// </summary>
    Task<OpinionWrite<T>> ChangeOpinionAsync<T>(OpinionKind<T> kind, OpinionEdit edit, IdempotencyEntry? claim, CancellationToken cancellationToken)
        where T : class, IOpinion;

    /// <summary>The person's standing (not withdrawn) opinion of the batch.</summary>
    Task<T?> OpinionAsync<T>(OpinionKind<T> kind, string batchId, string personId, CancellationToken cancellationToken) where T : class, IOpinion;

    /// <summary>The person's standing opinions, newest first, a page at a time (all of them without a limit).</summary>
    Task<(IReadOnlyList<T> Opinions, PageCursor? Next)> OpinionsOfAsync<T>(OpinionKind<T> kind, string personId, int? limit, PageCursor? after,
        CancellationToken cancellationToken) where T : class, IOpinion;

    /// <summary>Rebuild: applies a revision read from the lake when it supersedes what is stored; false when it does not.</summary>
    Task<bool> ImportAsync<T>(OpinionKind<T> kind, T opinion, CancellationToken cancellationToken) where T : class, IOpinion;

    /// <summary>The oldest lake objects accepted but not yet written.</summary>
    Task<IReadOnlyList<LakeWrite>> PendingLakeWritesAsync(int max, CancellationToken cancellationToken);

    Task<long> PendingLakeWriteCountAsync(CancellationToken cancellationToken);

    /// <summary>Forgets outbox entries once their objects are in the lake.</summary>
    Task LakeWrittenAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Standing ratings, standing scores, and batches.</summary>
    Task<(long Ratings, long Scores, long Batches)> CountsAsync(CancellationToken cancellationToken);
}
