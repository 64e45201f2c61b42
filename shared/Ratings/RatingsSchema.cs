using System.Data.Common;
using Dapper;

namespace WineFunctions.Ratings;

/// <summary>
/// The ratings database's schema as numbered migrations, applied in order and recorded in
/// <c>schema_migrations</c>, in one locked transaction so that instances starting together
/// migrate once. The SQL is the same for SQLite and PostgreSQL. Never edit a released migration:
/// add the next one.
/// </summary>
public static class RatingsSchema
{
    private static readonly (int Version, string Name, string Sql)[] Migrations =
    [
        (1, "tables", """
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
            """),
        (2, "one opinion per person and batch", $"""
            {OnePerPerson(Opinions.Ratings)}
            {OnePerPerson(Opinions.Scores)}
            CREATE INDEX taster_scores_taster ON taster_scores (taster_id);
            """),
    ];

    public static int Version => Migrations[^1].Version;

    /// <summary>
    /// Applies the migrations the database lacks, inside the caller's write transaction (SQLite's takes
    /// the write lock at once; on PostgreSQL an advisory lock makes instances starting together take turns).
    /// </summary>
    public static async Task MigrateAsync(DbConnection connection, DbTransaction transaction, string dialect, TimeProvider time, CancellationToken cancellationToken)
    {
        if (dialect == "postgres")
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(712026)", transaction: transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)",
            transaction: transaction, cancellationToken: cancellationToken));
        var current = await CurrentAsync(connection, transaction, cancellationToken);
        foreach (var (version, name, sql) in Migrations.Where(m => m.Version > current))
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("INSERT INTO schema_migrations (version, name, applied_ms) VALUES (@version, @name, @now)",
                new { version, name, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        }
    }

    public static async Task<int> CurrentAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT MAX(version) FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken)) ?? 0;

    /// <summary>
    /// Revisions and withdrawal; of the several opinions a person could give a batch before, the
    /// one that stands by <see cref="SqlRatingsStore.ImportAsync{T}"/>'s rule is kept (all are still in the lake).
    /// </summary>
    private static string OnePerPerson<T>(OpinionKind<T> kind) where T : class, IOpinion => $"""
        ALTER TABLE {kind.Table} ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE {kind.Table} ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
        DELETE FROM {kind.Table} WHERE EXISTS (
            SELECT 1 FROM {kind.Table} n
            WHERE n.batch_id = {kind.Table}.batch_id AND n.{kind.PersonColumn} = {kind.Table}.{kind.PersonColumn}
              AND (n.{kind.TimeColumn} > {kind.Table}.{kind.TimeColumn}
                   OR (n.{kind.TimeColumn} = {kind.Table}.{kind.TimeColumn} AND n.{kind.IdColumn} > {kind.Table}.{kind.IdColumn})));
        CREATE UNIQUE INDEX {kind.Table}_one_per_person ON {kind.Table} (batch_id, {kind.PersonColumn});
        """;
}
