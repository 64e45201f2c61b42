using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>The ratings store on SQLite or PostgreSQL through Dapper; one set of SQL for both.</summary>
public sealed class SqlRatingsStore(SqlDialect dialect) : IRatingsStore
{
    private const int MaxGroup = 512;
    private readonly Channel<PendingAdd> _adds = Channel.CreateUnbounded<PendingAdd>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _groupCommits;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS batches (
            batch_id TEXT PRIMARY KEY,
            colour TEXT NULL,
            warehouse_id TEXT NULL,
            last_sampled_ms BIGINT NULL,
            samples INTEGER NOT NULL,
            predicted_class TEXT NULL,
            model_version INTEGER NULL,
            tally TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS indexed_objects (
            object_key TEXT PRIMARY KEY,
            indexed_ms BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS customer_ratings (
            rating_id TEXT PRIMARY KEY,
            batch_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            stars INTEGER NOT NULL,
            note TEXT NULL,
            rated_ms BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS customer_ratings_batch ON customer_ratings (batch_id);
        CREATE INDEX IF NOT EXISTS customer_ratings_customer ON customer_ratings (customer_id);
        CREATE TABLE IF NOT EXISTS taster_scores (
            score_id TEXT PRIMARY KEY,
            batch_id TEXT NOT NULL,
            taster_id TEXT NOT NULL,
            score INTEGER NOT NULL,
            note TEXT NULL,
            scored_ms BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS taster_scores_batch ON taster_scores (batch_id);
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            caller TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (caller, idempotency_key));
        CREATE TABLE IF NOT EXISTS lake_outbox (
            object_key TEXT PRIMARY KEY,
            content TEXT NOT NULL,
            created_ms BIGINT NOT NULL);
        """;

    private const string SummaryJoin = """
        LEFT JOIN (SELECT batch_id, COUNT(*) AS ratings, CAST(AVG(stars) AS DOUBLE PRECISION) AS average_stars
                   FROM customer_ratings GROUP BY batch_id) r ON r.batch_id = b.batch_id
        """;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        if (dialect.Name == "sqlite")
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL;", cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(Schema, cancellationToken: cancellationToken));
    }

    public async Task<bool> IsIndexedAsync(string objectKey, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM indexed_objects WHERE object_key = @objectKey", new { objectKey }, cancellationToken: cancellationToken)) > 0;
    }

    public Task<bool> IndexAsync(string objectKey, IReadOnlyCollection<BatchTally> tallies, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO indexed_objects (object_key, indexed_ms) VALUES (@objectKey, @now) ON CONFLICT (object_key) DO NOTHING",
                new { objectKey, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
            if (claimed == 0)
            {
                return false;
            }
            foreach (var tally in tallies)
            {
                var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    "SELECT tally FROM batches WHERE batch_id = @batchId" + dialect.ForUpdate, new { batchId = tally.BatchId }, transaction,
                    cancellationToken: cancellationToken));
                var merged = stored is null ? new BatchTally { BatchId = tally.BatchId } : BatchTally.FromJson(stored);
                merged.Merge(tally);
                var prediction = merged.Prediction();
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO batches (batch_id, colour, warehouse_id, last_sampled_ms, samples, predicted_class, model_version, tally)
                    VALUES (@batchId, @colour, @warehouseId, @lastSampled, @samples, @predictedClass, @modelVersion, @tally)
                    ON CONFLICT (batch_id) DO UPDATE SET colour = excluded.colour, warehouse_id = excluded.warehouse_id,
                        last_sampled_ms = excluded.last_sampled_ms, samples = excluded.samples, predicted_class = excluded.predicted_class,
                        model_version = excluded.model_version, tally = excluded.tally
                    """, new
                {
                    batchId = merged.BatchId,
                    colour = merged.Colour is { } colour ? ColourName(colour) : null,
                    warehouseId = merged.WarehouseId,
                    lastSampled = merged.LastSampledAt?.ToUnixTimeMilliseconds(),
                    samples = merged.Samples,
                    predictedClass = prediction?.PredictedClass.Name(),
                    modelVersion = prediction?.ModelVersion,
                    tally = merged.ToJson(),
                }, transaction, cancellationToken: cancellationToken));
            }
            return true;
        }, cancellationToken);

    public async Task<Batch?> GetBatchAsync(string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var tally = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT tally FROM batches WHERE batch_id = @batchId AND samples > 0", new { batchId }, cancellationToken: cancellationToken));
        return tally is null ? null : BatchTally.FromJson(tally).ToBatch();
    }

    public async Task<IReadOnlyList<Batch>> AllBatchesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var tallies = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT tally FROM batches WHERE samples > 0 ORDER BY batch_id", cancellationToken: cancellationToken));
        return tallies.Select(t => BatchTally.FromJson(t).ToBatch()).OfType<Batch>().ToList();
    }

    public async Task<CataloguePage> CatalogueAsync(CatalogueFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CatalogueRow>(new CommandDefinition($"""
            SELECT b.batch_id AS BatchId, b.colour AS Colour, b.warehouse_id AS WarehouseId, b.last_sampled_ms AS LastSampledMs,
                   b.predicted_class AS PredictedClass, b.model_version AS ModelVersion,
                   COALESCE(r.ratings, 0) AS Ratings, r.average_stars AS AverageStars
            FROM batches b
            {SummaryJoin}
            WHERE b.samples > 0
              AND (@colour IS NULL OR b.colour = @colour)
              AND (@predictedClass IS NULL OR b.predicted_class = @predictedClass)
              AND (@minStars IS NULL OR r.average_stars >= @minStars)
            ORDER BY b.last_sampled_ms DESC, b.batch_id
            LIMIT @limit OFFSET @offset
            """, new
        {
            colour = filter.Colour is { } colour ? ColourName(colour) : null,
            predictedClass = filter.PredictedClass?.Name(),
            minStars = filter.MinStars,
            limit = filter.Limit,
            offset = filter.Offset,
        }, cancellationToken: cancellationToken));
        return new CataloguePage(rows.Select(r => r.ToEntry()).ToList(), filter.Limit, filter.Offset);
    }

    public async Task<(RatingSummary Customers, TasterSummary Tasters)> OpinionsAsync(string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Kind, long Value, long Count)>(new CommandDefinition("""
            SELECT 'customer', CAST(stars AS BIGINT), COUNT(*) FROM customer_ratings WHERE batch_id = @batchId GROUP BY stars
            UNION ALL
            SELECT 'taster', CAST(score AS BIGINT), COUNT(*) FROM taster_scores WHERE batch_id = @batchId GROUP BY score
            """, new { batchId }, cancellationToken: cancellationToken));
        var perStar = new int[RatingRules.MaxStars];
        var scores = new List<int>();
        foreach (var (kind, value, count) in rows)
        {
            if (kind == "customer")
            {
                perStar[value - 1] = (int)count;
            }
            else
            {
                scores.AddRange(Enumerable.Repeat((int)value, (int)count));
            }
        }
        var total = perStar.Sum();
        var customers = total == 0
            ? RatingSummary.None
            : new RatingSummary(total, Math.Round(perStar.Select((n, i) => (double)n * (i + 1)).Sum() / total, 2), perStar);
        return (customers, TasterSummary.Of(scores));
    }

    public async Task<IReadOnlyList<Rating>> RatingsByCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RatingRow>(new CommandDefinition("""
            SELECT rating_id AS RatingId, batch_id AS BatchId, customer_id AS CustomerId, stars AS Stars, note AS Note, rated_ms AS RatedMs
            FROM customer_ratings WHERE customer_id = @customerId ORDER BY rated_ms
            """, new { customerId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRating()).ToList();
    }

    public async Task<IdempotencyEntry?> FindIdempotencyAsync(string caller, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await FindIdempotencyAsync(connection, null, caller, key, cancellationToken);
    }

    public Task<IdempotencyEntry?> AddRatingAsync(Rating rating, LakeWrite lakeWrite, IdempotencyEntry? idempotency, CancellationToken cancellationToken) =>
        AddAsync("""
            INSERT INTO customer_ratings (rating_id, batch_id, customer_id, stars, note, rated_ms)
            VALUES (@RatingId, @BatchId, @CustomerId, @Stars, @Note, @Ms)
            """, new { rating.RatingId, rating.BatchId, rating.CustomerId, rating.Stars, rating.Note, Ms = rating.RatedAt.ToUnixTimeMilliseconds() },
            lakeWrite, idempotency, cancellationToken);

    public Task<IdempotencyEntry?> AddScoreAsync(TasterScore score, LakeWrite lakeWrite, IdempotencyEntry? idempotency, CancellationToken cancellationToken) =>
        AddAsync("""
            INSERT INTO taster_scores (score_id, batch_id, taster_id, score, note, scored_ms)
            VALUES (@ScoreId, @BatchId, @TasterId, @Score, @Note, @Ms)
            """, new { score.ScoreId, score.BatchId, score.TasterId, score.Score, score.Note, Ms = score.ScoredAt.ToUnixTimeMilliseconds() },
            lakeWrite, idempotency, cancellationToken);

    public Task<bool> ImportRatingAsync(Rating rating, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO customer_ratings (rating_id, batch_id, customer_id, stars, note, rated_ms)
            VALUES (@RatingId, @BatchId, @CustomerId, @Stars, @Note, @Ms) ON CONFLICT (rating_id) DO NOTHING
            """, new { rating.RatingId, rating.BatchId, rating.CustomerId, rating.Stars, rating.Note, Ms = rating.RatedAt.ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task<bool> ImportScoreAsync(TasterScore score, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO taster_scores (score_id, batch_id, taster_id, score, note, scored_ms)
            VALUES (@ScoreId, @BatchId, @TasterId, @Score, @Note, @Ms) ON CONFLICT (score_id) DO NOTHING
            """, new { score.ScoreId, score.BatchId, score.TasterId, score.Score, score.Note, Ms = score.ScoredAt.ToUnixTimeMilliseconds() },
            transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    public async Task<(long Ratings, long Scores, long Batches)> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM customer_ratings), (SELECT COUNT(*) FROM taster_scores), (SELECT COUNT(*) FROM batches WHERE samples > 0)
            """, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        _adds.Writer.TryComplete();
        if (_groupCommits is { } groupCommits)
        {
            await groupCommits;
        }
        await dialect.DisposeAsync();
    }

    public async Task<IReadOnlyList<LakeWrite>> PendingLakeWritesAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, string Content)>(new CommandDefinition(
            "SELECT object_key, content FROM lake_outbox ORDER BY created_ms, object_key LIMIT @max", new { max }, cancellationToken: cancellationToken));
        return rows.Select(r => new LakeWrite(r.Key, r.Content)).ToList();
    }

    public async Task<long> PendingLakeWriteCountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM lake_outbox", cancellationToken: cancellationToken));
    }

    public Task LakeWrittenAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM lake_outbox WHERE " + dialect.AnyOf("object_key", "keys"), new { keys = keys.ToArray() }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    private Task<IdempotencyEntry?> AddAsync(string insert, object values, LakeWrite lakeWrite, IdempotencyEntry? idempotency, CancellationToken cancellationToken)
    {
        var add = new PendingAdd(insert, values, lakeWrite, idempotency);
        if (dialect.WriteGate is null)
        {
            // PostgreSQL takes concurrent writers: each rating is its own transaction.
            return WriteAsync((connection, transaction) => AddOneAsync(connection, transaction, add, cancellationToken), cancellationToken);
        }
        // SQLite has one writer: ratings arriving together are committed together (group commit), one WAL write for many.
        _adds.Writer.TryWrite(add);
        if (_groupCommits is null)
        {
            lock (_adds)
            {
                _groupCommits ??= Task.Run(GroupCommitAsync, CancellationToken.None);
            }
        }
        return add.Done.Task;
    }

    private async Task GroupCommitAsync()
    {
        var group = new List<PendingAdd>();
        while (await _adds.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _adds.Reader.TryRead(out var add))
            {
                group.Add(add);
            }
            try
            {
                var outcomes = await WriteAsync(async (connection, transaction) =>
                {
                    var results = new (IdempotencyEntry? Taken, Exception? Error)[group.Count];
                    for (var i = 0; i < group.Count; i++)
                    {
                        // A savepoint each, so that one refused rating does not undo the others.
                        await connection.ExecuteAsync(new CommandDefinition("SAVEPOINT rating", transaction: transaction));
                        try
                        {
                            results[i] = (await AddOneAsync(connection, transaction, group[i], CancellationToken.None), null);
                        }
                        catch (DbException e)
                        {
                            await connection.ExecuteAsync(new CommandDefinition("ROLLBACK TO SAVEPOINT rating", transaction: transaction));
                            results[i] = (null, e);
                        }
                        await connection.ExecuteAsync(new CommandDefinition("RELEASE SAVEPOINT rating", transaction: transaction));
                    }
                    return results;
                }, CancellationToken.None);
                for (var i = 0; i < group.Count; i++)
                {
                    if (outcomes[i].Error is { } error)
                    {
                        group[i].Done.TrySetException(error);
                    }
                    else
                    {
                        group[i].Done.TrySetResult(outcomes[i].Taken);
                    }
                }
            }
            catch (Exception e)
            {
                group.ForEach(add => add.Done.TrySetException(e));
            }
        }
    }

    private static async Task<IdempotencyEntry?> AddOneAsync(DbConnection connection, DbTransaction transaction, PendingAdd add, CancellationToken cancellationToken)
    {
        if (add.Idempotency is { } idempotency)
        {
            // The key is claimed in the same transaction as the rating: a concurrent retry finds it taken and gets the first answer.
            var claimed = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO idempotency_keys (caller, idempotency_key, request_hash, status, body)
                VALUES (@Caller, @Key, @RequestHash, @Status, @Body) ON CONFLICT (caller, idempotency_key) DO NOTHING
                """, idempotency, transaction, cancellationToken: cancellationToken));
            if (claimed == 0)
            {
                return await FindIdempotencyAsync(connection, transaction, idempotency.Caller, idempotency.Key, cancellationToken);
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(add.Insert, add.Values, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO lake_outbox (object_key, content, created_ms) VALUES (@Key, @Content, @now)",
            new { add.LakeWrite.Key, add.LakeWrite.Content, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        return null;
    }

    private sealed record PendingAdd(string Insert, object Values, LakeWrite LakeWrite, IdempotencyEntry? Idempotency)
    {
        public TaskCompletionSource<IdempotencyEntry?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static async Task<IdempotencyEntry?> FindIdempotencyAsync(DbConnection connection, DbTransaction? transaction, string caller, string key, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<IdempotencyRow>(new CommandDefinition("""
            SELECT caller AS Caller, idempotency_key AS Key, request_hash AS RequestHash, status AS Status, body AS Body
            FROM idempotency_keys WHERE caller = @caller AND idempotency_key = @key
            """, new { caller, key }, transaction, cancellationToken: cancellationToken)))?.ToEntry();

    /// <summary>One write transaction; rolled back (nothing changed) when the work throws.</summary>
    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (dialect.WriteGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }
        try
        {
            await using var connection = await dialect.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            dialect.WriteGate?.Release();
        }
    }

    private static string ColourName(WineColour colour) => colour == WineColour.Red ? "red" : "white";

    private sealed class CatalogueRow
    {
        public string BatchId { get; set; } = "";
        public string? Colour { get; set; }
        public string? WarehouseId { get; set; }
        public long? LastSampledMs { get; set; }
        public string? PredictedClass { get; set; }
        public long? ModelVersion { get; set; }
        public long Ratings { get; set; }
        public double? AverageStars { get; set; }

        public CatalogueEntry ToEntry() => new(BatchId, Colour == "red" ? WineColour.Red : WineColour.White, WarehouseId ?? "",
            DateTimeOffset.FromUnixTimeMilliseconds(LastSampledMs ?? 0),
            PredictedClass switch { "good" => QualityClass.Good, "better" => QualityClass.Better, "best" => QualityClass.Best, _ => null },
            (int?)ModelVersion, (int)Ratings, AverageStars is { } average ? Math.Round(average, 2) : null);
    }

    private sealed class IdempotencyRow
    {
        public string Caller { get; set; } = "";
        public string Key { get; set; } = "";
        public string RequestHash { get; set; } = "";
        public long Status { get; set; }
        public string Body { get; set; } = "";

        public IdempotencyEntry ToEntry() => new(Caller, Key, RequestHash, (int)Status, Body);
    }

    private sealed class RatingRow
    {
        public string RatingId { get; set; } = "";
        public string BatchId { get; set; } = "";
        public string CustomerId { get; set; } = "";
        public long Stars { get; set; }
        public string? Note { get; set; }
        public long RatedMs { get; set; }

        public Rating ToRating() => new(RatingId, BatchId, CustomerId, (int)Stars, Note, DateTimeOffset.FromUnixTimeMilliseconds(RatedMs));
    }
}
