using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace WineFunctions.Ratings;

/// <summary>
/// The ratings API's work, whatever hosts it: cards, the catalogue, recommendations, and each
/// person's one rating or score per batch (validated, once per Idempotency-Key, into the database
/// and through its outbox into the lake).
/// </summary>
public sealed class RatingsService(IRatingsStore store, LakePublisher publisher, DistributorDirectory distributors, BatchCache batches, CardCache cards, TimeProvider time,
    RatingsMetrics metrics, ILogger<RatingsService> logger)
{
    public const int MaxIdempotencyKeyLength = 100;

    public async Task<BatchCard?> CardAsync(string batchId, CancellationToken cancellationToken)
    {
        if (await BatchAsync(batchId, cancellationToken) is not { } batch)
        {
            return null;
        }
        return await cards.GetAsync(batchId, async () =>
        {
            var (customers, tasters) = await store.OpinionsAsync(batchId, cancellationToken);
            return new BatchCard(batch, customers, tasters);
        });
    }

    public Task<CataloguePage> CatalogueAsync(CatalogueFilter filter, CancellationToken cancellationToken) => store.CatalogueAsync(filter, cancellationToken);

    public async Task<Recommendations> RecommendAsync(string customerId, GeoPoint? location, int limit, CancellationToken cancellationToken)
    {
        var (ratings, _) = await store.OpinionsOfAsync(Opinions.Ratings, customerId, null, null, cancellationToken);
        var batches = ratings.Count == 0 ? [] : await store.AllBatchesAsync(cancellationToken);
        var file = await distributors.CurrentAsync(cancellationToken);
        return Recommender.Recommend(customerId, ratings, batches, file, location, limit);
    }

    /// <summary>Where a batch can be bought, nearest first; null when the lake holds no such batch.</summary>
    public async Task<BatchOffers?> OffersAsync(string batchId, GeoPoint? location, CancellationToken cancellationToken) =>
        await BatchAsync(batchId, cancellationToken) is null
            ? null
            : new BatchOffers(batchId, DistributorDirectory.Offers(await distributors.CurrentAsync(cancellationToken), batchId, location));

    public async Task<NearbyDistributors> DistributorsAsync(GeoPoint? location, int limit, CancellationToken cancellationToken) =>
        new(DistributorDirectory.Nearby(await distributors.CurrentAsync(cancellationToken), location, limit));

    /// <summary>A customer's rating, new or changed: only as themselves (<paramref name="customerId"/> is the token's subject).</summary>
    public Task<OpinionOutcome<Rating>> RateAsync(string customerId, string batchId, RatingRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (request.CustomerId is { } claimed && claimed != customerId)
        {
            return Task.FromResult<OpinionOutcome<Rating>>(new OpinionOutcome<Rating>.NotYou("a customer may rate only as themselves"));
        }
        return ChangeAsync(Opinions.Ratings, RatingRules.Check(request), customerId, batchId, request.Stars, request.Note, idempotencyKey, cancellationToken);
    }

    /// <summary>A professional taster's score, new or changed (the caller's role is checked by the host).</summary>
    public Task<OpinionOutcome<TasterScore>> ScoreAsync(string tasterId, string batchId, TasterScoreRequest request, string? idempotencyKey, CancellationToken cancellationToken) =>
        ChangeAsync(Opinions.Scores, RatingRules.Check(request), tasterId, batchId, request.Score, request.Note, idempotencyKey, cancellationToken);

    /// <summary>Withdraws the person's opinion of the batch: it stops counting, and the lake records the withdrawal.</summary>
    public Task<OpinionOutcome<T>> WithdrawAsync<T>(OpinionKind<T> kind, string personId, string batchId, CancellationToken cancellationToken) where T : class, IOpinion =>
        ChangeAsync(kind, [], personId, batchId, null, null, null, cancellationToken);

    public async Task<T?> OpinionAsync<T>(OpinionKind<T> kind, string personId, string batchId, CancellationToken cancellationToken) where T : class, IOpinion =>
        RatingRules.IsBatchId(batchId) ? await store.OpinionAsync(kind, batchId, personId, cancellationToken) : null;

    public Task<(IReadOnlyList<T> Opinions, PageCursor? Next)> OpinionsOfAsync<T>(OpinionKind<T> kind, string personId, int limit, PageCursor? after,
        CancellationToken cancellationToken) where T : class, IOpinion =>
        store.OpinionsOfAsync(kind, personId, limit, after, cancellationToken);

    public static bool IsIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is > ' ' and <= '~');

    private async Task<OpinionOutcome<T>> ChangeAsync<T>(OpinionKind<T> kind, Dictionary<string, string[]> errors, string personId, string batchId, int? value,
        string? note, string? idempotencyKey, CancellationToken cancellationToken) where T : class, IOpinion
    {
        if (idempotencyKey is not null && !IsIdempotencyKey(idempotencyKey))
        {
            errors["Idempotency-Key"] = [$"the Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters without spaces"];
        }
        if (errors.Count > 0)
        {
            return new OpinionOutcome<T>.Invalid(errors);
        }
        note = RatingRules.Normalise(note);
        var caller = $"{kind.Name}:{personId}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind.Name}|{batchId}|{value}|{note}")));
        if (idempotencyKey is not null && await store.FindIdempotencyAsync(caller, idempotencyKey, cancellationToken) is { } earlier)
        {
            return Replay(kind, earlier, hash);
        }
        if (await BatchAsync(batchId, cancellationToken) is null)
        {
            return new OpinionOutcome<T>.UnknownBatch(batchId);
        }

        // Milliseconds, so the lake's copy and the database's are the same value.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var edit = new OpinionEdit(batchId, personId, value, note, now, Guid.CreateVersion7(now).ToString("N"));
        var claim = idempotencyKey is null ? null : new IdempotencyEntry(caller, idempotencyKey, hash, 0, "");
        var written = await store.ChangeOpinionAsync(kind, edit, claim, cancellationToken);
        if (written.Earlier is { } taken)
        {
            // A concurrent retry with the same key was stored first.
            return Replay(kind, taken, hash);
        }
        if (written.Value is not { } opinion)
        {
            return new OpinionOutcome<T>.NoOpinion();
        }
        if (written.Change is not OpinionChange.Unchanged)
        {
            cards.Changed(batchId);
            publisher.Notify();
            metrics.Changed(kind.Name, written.Change);
            logger.LogInformation("{Change} {Kind} of batch {BatchId} by {Person}: revision {Revision}", written.Change, kind.Name, batchId, personId, opinion.Revision);
        }
        return new OpinionOutcome<T>.Stored(opinion, written.Change, false);
    }

    private OpinionOutcome<T> Replay<T>(OpinionKind<T> kind, IdempotencyEntry earlier, string hash) where T : class, IOpinion
    {
        if (earlier.RequestHash != hash)
        {
            return new OpinionOutcome<T>.KeyReused(earlier.Key);
        }
        metrics.Replayed();
        var change = earlier.Status == 201 ? OpinionChange.Created : OpinionChange.Updated;
        return new OpinionOutcome<T>.Stored(kind.Read(Encoding.UTF8.GetBytes(earlier.Body))!, change, true);
    }

    private async Task<Batch?> BatchAsync(string batchId, CancellationToken cancellationToken) =>
        RatingRules.IsBatchId(batchId) ? await batches.GetAsync(batchId, id => store.GetBatchAsync(id, cancellationToken)) : null;
}
