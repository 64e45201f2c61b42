using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace WineFunctions.Ratings;

/// <summary>
/// The ratings API's work, whatever hosts it: cards, the catalogue, recommendations, and
/// accepting ratings and scores (validated, once per Idempotency-Key, into the database and through its outbox into the lake).
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
        var ratings = await store.RatingsByCustomerAsync(customerId, cancellationToken);
        var batches = ratings.Count == 0 ? [] : await store.AllBatchesAsync(cancellationToken);
        var file = await distributors.CurrentAsync(cancellationToken);
        return Recommender.Recommend(customerId, ratings, batches, file, location, limit);
    }

    /// <summary>A customer's rating: only as themselves (<paramref name="customerId"/> is the token's subject).</summary>
    public Task<PostOutcome<Rating>> RateAsync(string customerId, string batchId, RatingRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (request.CustomerId is { } claimed && claimed != customerId)
        {
            return Task.FromResult<PostOutcome<Rating>>(new PostOutcome<Rating>.NotYou("a customer may rate only as themselves"));
        }
        var note = RatingRules.Normalise(request.Note);
        return AcceptAsync(RatingRules.Check(request), "customer:" + customerId, batchId, $"rating|{batchId}|{request.Stars}|{note}", idempotencyKey,
            now => new Rating(NewId(now), batchId, customerId, request.Stars!.Value, note, now),
            RatingsLake.KeyOf, RatingsLake.Serialize, b => RatingsLake.ReadRating(Encoding.UTF8.GetBytes(b))!, store.AddRatingAsync, cancellationToken);
    }

    /// <summary>A professional taster's score (the caller's role is checked by the host).</summary>
    public Task<PostOutcome<TasterScore>> ScoreAsync(string tasterId, string batchId, TasterScoreRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var note = RatingRules.Normalise(request.Note);
        return AcceptAsync(RatingRules.Check(request), "taster:" + tasterId, batchId, $"score|{batchId}|{request.Score}|{note}", idempotencyKey,
            now => new TasterScore(NewId(now), batchId, tasterId, request.Score!.Value, note, now),
            RatingsLake.KeyOf, RatingsLake.Serialize, b => RatingsLake.ReadScore(Encoding.UTF8.GetBytes(b))!, store.AddScoreAsync, cancellationToken);
    }

    public static bool IsIdempotencyKey(string key) =>
        key.Length is > 0 and <= MaxIdempotencyKeyLength && key.All(c => c is > ' ' and <= '~');

    private async Task<PostOutcome<T>> AcceptAsync<T>(Dictionary<string, string[]> errors, string caller, string batchId, string fingerprint,
        string? idempotencyKey, Func<DateTimeOffset, T> create, Func<T, string> keyOf, Func<T, byte[]> serialize, Func<string, T> read,
        Func<T, LakeWrite, IdempotencyEntry?, CancellationToken, Task<IdempotencyEntry?>> add, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && !IsIdempotencyKey(idempotencyKey))
        {
            errors["Idempotency-Key"] = [$"the Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters"];
        }
        if (errors.Count > 0)
        {
            return new PostOutcome<T>.Invalid(errors);
        }
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)));
        if (idempotencyKey is not null && await store.FindIdempotencyAsync(caller, idempotencyKey, cancellationToken) is { } earlier)
        {
            return Replay(earlier, hash, read);
        }
        if (await BatchAsync(batchId, cancellationToken) is null)
        {
            return new PostOutcome<T>.UnknownBatch(batchId);
        }

        // Milliseconds, so the lake's copy and the database's are the same value.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var value = create(now);
        var content = Encoding.UTF8.GetString(serialize(value));
        var key = keyOf(value);
        // One transaction holds the rating, its lake object (the outbox) and the key: all or nothing.
        var entry = idempotencyKey is null ? null : new IdempotencyEntry(caller, idempotencyKey, hash, 201, content);
        if (await add(value, new LakeWrite(key, content), entry, cancellationToken) is { } taken)
        {
            // A concurrent retry with the same key was stored first.
            return Replay(taken, hash, read);
        }
        cards.Changed(batchId);
        publisher.Notify();
        metrics.Accepted(typeof(T).Name);
        logger.LogInformation("Accepted {Kind} for batch {BatchId} from {Caller} as {Key}", typeof(T).Name, batchId, caller, key);
        return new PostOutcome<T>.Accepted(value, false);
    }

    private PostOutcome<T> Replay<T>(IdempotencyEntry earlier, string hash, Func<string, T> read)
    {
        if (earlier.RequestHash != hash)
        {
            return new PostOutcome<T>.KeyReused(earlier.Key);
        }
        metrics.Replayed();
        return new PostOutcome<T>.Accepted(read(earlier.Body), true);
    }

    private async Task<Batch?> BatchAsync(string batchId, CancellationToken cancellationToken) =>
        RatingRules.IsBatchId(batchId) ? await batches.GetAsync(batchId, id => store.GetBatchAsync(id, cancellationToken)) : null;

    private static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");
}
