using System.Data.Common;
using Dapper;
using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>The ratings store on SQLite or PostgreSQL through Dapper; one set of SQL for both.</summary>
public sealed partial class SqlRatingsStore(SqlDialect dialect, TimeProvider time) : IRatingsStore
{
    private const string SummaryJoin = """
        LEFT JOIN (SELECT batch_id, COUNT(*) AS ratings, CAST(AVG(stars) AS DOUBLE PRECISION) AS average_stars
                   FROM customer_ratings WHERE withdrawn = 0 GROUP BY batch_id) r ON r.batch_id = b.batch_id
        """;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (dialect.Name == "sqlite")
        {
            // WAL sticks to the file; it cannot be set inside a transaction.
            await using var connection = await dialect.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL;", cancellationToken: cancellationToken));
        }
        await WriteAsync(async (connection, transaction) =>
        {
            await RatingsSchema.MigrateAsync(connection, transaction, dialect.Name, time, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await RatingsSchema.CurrentAsync(connection, null, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> IndexedAmongAsync(IReadOnlyCollection<string> objectKeys, CancellationToken cancellationToken)
    {
        if (objectKeys.Count == 0)
        {
            return new HashSet<string>();
        }
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var indexed = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT object_key FROM indexed_objects WHERE " + dialect.AnyOf("object_key", "keys"), new { keys = objectKeys.ToArray() },
            cancellationToken: cancellationToken));
        return indexed.ToHashSet(StringComparer.Ordinal);
    }

    public Task<bool> IndexAsync(string objectKey, IReadOnlyCollection<BatchTally> tallies, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO indexed_objects (object_key, indexed_ms) VALUES (@objectKey, @now) ON CONFLICT (object_key) DO NOTHING",
                new { objectKey, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
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
                    colour = merged.Colour is { } colour ? colour.Name() : null,
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
              AND (@afterMs IS NULL OR b.last_sampled_ms < @afterMs OR (b.last_sampled_ms = @afterMs AND b.batch_id > @afterBatch))
            ORDER BY b.last_sampled_ms DESC, b.batch_id
            LIMIT @limit OFFSET @offset
            """, new
        {
            colour = filter.Colour is { } colour ? colour.Name() : null,
            predictedClass = filter.PredictedClass?.Name(),
            minStars = filter.MinStars,
            limit = filter.Limit,
            offset = filter.Offset,
            afterMs = filter.After?.AtMs,
            afterBatch = filter.After?.BatchId,
        }, cancellationToken: cancellationToken));
        var entries = rows.Select(r => r.ToEntry()).ToList();
        var next = entries.Count == filter.Limit ? new PageCursor(entries[^1].LastSampledAt.ToUnixTimeMilliseconds(), entries[^1].BatchId).Encode() : null;
        return new CataloguePage(entries, filter.Limit, filter.Offset, next);
    }

    public async Task<(RatingSummary Customers, TasterSummary Tasters)> OpinionsAsync(string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Kind, long Value, long Count)>(new CommandDefinition("""
            SELECT 'customer', CAST(stars AS BIGINT), COUNT(*) FROM customer_ratings WHERE batch_id = @batchId AND withdrawn = 0 GROUP BY stars
            UNION ALL
            SELECT 'taster', CAST(score AS BIGINT), COUNT(*) FROM taster_scores WHERE batch_id = @batchId AND withdrawn = 0 GROUP BY score
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

    public async Task<IdempotencyEntry?> FindIdempotencyAsync(string caller, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await FindIdempotencyAsync(connection, null, caller, key, cancellationToken);
    }

    public async Task<(long Ratings, long Scores, long Batches)> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM customer_ratings WHERE withdrawn = 0), (SELECT COUNT(*) FROM taster_scores WHERE withdrawn = 0), (SELECT COUNT(*) FROM batches WHERE samples > 0)
            """, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await StopGroupCommitsAsync();
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
            QualityClasses.FromName(PredictedClass),
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
}
