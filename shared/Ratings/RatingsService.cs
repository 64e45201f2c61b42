using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using WineFunctions.Lake;

namespace WineFunctions.Ratings;

/// <summary>
/// The ratings API's work, whatever hosts it: cards, the catalogue, recommendations, and
/// accepting ratings and scores (validated, once per Idempotency-Key, in the lake and the database).
/// </summary>
public sealed class RatingsService(IRatingsStore store, IObjectStore lake, DistributorDirectory distributors, TimeProvider time,
    RatingsMetrics metrics, ILogger<RatingsService> logger)
{
    public const int MaxIdempotencyKeyLength = 100;

    public async Task<BatchCard?> CardAsync(string batchId, CancellationToken cancellationToken)
    {
        if (!RatingRules.IsBatchId(batchId) || await store.GetBatchAsync(batchId, cancellationToken) is not { } batch)
        {
            return null;
        }
        var ratings = await store.RatingSummaryAsync(batchId, cancellationToken);
        var scores = await store.TasterScoresAsync(batchId, cancellationToken);
        return new BatchCard(batch, ratings, TasterSummary.Of(scores));
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
        Func<T, IdempotencyEntry?, CancellationToken, Task<IdempotencyEntry?>> add, CancellationToken cancellationToken)
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
        if (!RatingRules.IsBatchId(batchId) || await store.GetBatchAsync(batchId, cancellationToken) is null)
        {
            return new PostOutcome<T>.UnknownBatch(batchId);
        }

        // Milliseconds, so the lake's copy and the database's are the same value.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var value = create(now);
        var content = serialize(value);
        var key = keyOf(value);
        // The lake first: it is the record the database is rebuilt from, so nothing is accepted that it lacks.
        await lake.PutAsync(key, content, RatingsLake.Metadata, cancellationToken);
        IdempotencyEntry? taken;
        try
        {
            var entry = idempotencyKey is null ? null : new IdempotencyEntry(caller, idempotencyKey, hash, 201, Encoding.UTF8.GetString(content));
            taken = await add(value, entry, cancellationToken);
        }
        catch
        {
            await ForgetAsync(key);
            throw;
        }
        if (taken is not null)
        {
            // A concurrent retry with the same key was stored first: this copy must not count twice.
            await ForgetAsync(key);
            return Replay(taken, hash, read);
        }
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

    private async Task ForgetAsync(string key)
    {
        try
        {
            await lake.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not remove {Key} from the lake after the database refused it; a rebuild would count it", key);
        }
    }

    private static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");
}
