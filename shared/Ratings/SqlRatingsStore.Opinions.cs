using System.Data.Common;
using System.Text;
using Dapper;

namespace WineFunctions.Ratings;

/// <summary>Ratings and taster scores: one row per person and batch, each change a new revision written to the lake through the outbox.</summary>
public sealed partial class SqlRatingsStore
{
    public async Task<OpinionWrite<T>> ChangeOpinionAsync<T>(OpinionKind<T> kind, OpinionEdit edit, IdempotencyEntry? claim, CancellationToken cancellationToken)
        where T : class, IOpinion
    {
        try
        {
            return await GroupWriteAsync((connection, transaction) => ChangeAsync(connection, transaction, kind, edit, claim, cancellationToken), cancellationToken);
        }
        catch (ConcurrentFirstOpinionException)
        {
            // Rolled back: the same person's first opinion of the batch was committed meanwhile, so this one now changes it.
            return await GroupWriteAsync((connection, transaction) => ChangeAsync(connection, transaction, kind, edit, claim, cancellationToken), cancellationToken);
        }
    }

    public async Task<T?> OpinionAsync<T>(OpinionKind<T> kind, string batchId, string personId, CancellationToken cancellationToken) where T : class, IOpinion
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OpinionRow>(new CommandDefinition(
            $"SELECT {Columns(kind)} FROM {kind.Table} WHERE batch_id = @batchId AND {kind.PersonColumn} = @personId AND withdrawn = 0",
            new { batchId, personId }, cancellationToken: cancellationToken));
        return row is null ? null : kind.Create(row);
    }

    public async Task<(IReadOnlyList<T> Opinions, PageCursor? Next)> OpinionsOfAsync<T>(OpinionKind<T> kind, string personId, int? limit, PageCursor? after,
        CancellationToken cancellationToken) where T : class, IOpinion
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OpinionRow>(new CommandDefinition($"""
            SELECT {Columns(kind)} FROM {kind.Table}
            WHERE {kind.PersonColumn} = @personId AND withdrawn = 0
              AND (@afterMs IS NULL OR {kind.TimeColumn} < @afterMs OR ({kind.TimeColumn} = @afterMs AND batch_id < @afterBatch))
            ORDER BY {kind.TimeColumn} DESC, batch_id DESC
            LIMIT @take
            """, new { personId, afterMs = after?.AtMs, afterBatch = after?.BatchId ?? "", take = limit + 1 ?? int.MaxValue },
            cancellationToken: cancellationToken))).ToList();
        var more = rows.Count > limit;
        var page = more ? rows[..limit!.Value] : rows;
        return (page.Select(kind.Create).ToList(), more ? new PageCursor(page[^1].AtMs, page[^1].BatchId) : null);
    }

    /// <summary>Which opinion stands, here and in the lake's views: the highest revision, then the latest, then the greatest id.</summary>
    public Task<bool> ImportAsync<T>(OpinionKind<T> kind, T opinion, CancellationToken cancellationToken) where T : class, IOpinion =>
        WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition($"""
            {Upsert(kind)}
            WHERE excluded.revision > {kind.Table}.revision
               OR (excluded.revision = {kind.Table}.revision AND (excluded.{kind.TimeColumn} > {kind.Table}.{kind.TimeColumn}
                   OR (excluded.{kind.TimeColumn} = {kind.Table}.{kind.TimeColumn} AND excluded.{kind.IdColumn} > {kind.Table}.{kind.IdColumn})))
            """, Values(opinion), transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    private async Task<OpinionWrite<T>> ChangeAsync<T>(DbConnection connection, DbTransaction transaction, OpinionKind<T> kind, OpinionEdit edit,
        IdempotencyEntry? claim, CancellationToken cancellationToken) where T : class, IOpinion
    {
        var row = await StandingRowAsync(connection, transaction, kind, edit, cancellationToken);
        var standing = row is { Withdrawn: false };
        var change = edit.Value switch
        {
            null => standing ? OpinionChange.Withdrawn : OpinionChange.NothingToWithdraw,
            { } value when standing && value == row!.Value && edit.Note == row.Note => OpinionChange.Unchanged,
            _ => standing ? OpinionChange.Updated : OpinionChange.Created,
        };
        if (change is OpinionChange.NothingToWithdraw)
        {
            return new OpinionWrite<T>(change, null, null);
        }
        var opinion = kind.Create(change switch
        {
            OpinionChange.Unchanged => row!,
            OpinionChange.Withdrawn => Row(row!.Id, edit, row.Value, row.Note, row.Revision + 1, withdrawn: true),
            _ => Row(row?.Id ?? edit.NewId, edit, edit.Value!.Value, edit.Note, (row?.Revision ?? 0) + 1, withdrawn: false),
        });
        var content = Encoding.UTF8.GetString(kind.Serialize(opinion));
        if (claim is not null)
        {
            // The key is claimed in the same transaction as the change: a concurrent retry finds it taken and gets the first answer.
            var claimed = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO idempotency_keys (caller, idempotency_key, request_hash, status, body)
                VALUES (@Caller, @Key, @RequestHash, @status, @content) ON CONFLICT (caller, idempotency_key) DO NOTHING
                """, new { claim.Caller, claim.Key, claim.RequestHash, status = change == OpinionChange.Created ? 201 : 200, content },
                transaction, cancellationToken: cancellationToken));
            if (claimed == 0)
            {
                return new OpinionWrite<T>(OpinionChange.Unchanged, null, await FindIdempotencyAsync(connection, transaction, claim.Caller, claim.Key, cancellationToken));
            }
        }
        if (change is OpinionChange.Unchanged)
        {
            return new OpinionWrite<T>(change, opinion, null);
        }
        if (row is null)
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition($"{Insert(kind)} ON CONFLICT (batch_id, {kind.PersonColumn}) DO NOTHING",
                Values(opinion), transaction, cancellationToken: cancellationToken));
            if (inserted == 0)
            {
                // Only PostgreSQL, whose writers run side by side, gets here.
                throw new ConcurrentFirstOpinionException();
            }
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition($"""
                UPDATE {kind.Table} SET {kind.ValueColumn} = @Value, note = @Note, {kind.TimeColumn} = @AtMs, revision = @Revision, withdrawn = @Withdrawn
                WHERE batch_id = @BatchId AND {kind.PersonColumn} = @PersonId
                """, Values(opinion), transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO lake_outbox (object_key, content, created_ms) VALUES (@key, @content, @now)",
            new { key = kind.KeyOf(opinion), content, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        return new OpinionWrite<T>(change, opinion, null);
    }

    /// <summary>The person's row for the batch, withdrawn or not, locked until the transaction ends so that two changes of it take turns.</summary>
    private Task<OpinionRow?> StandingRowAsync<T>(DbConnection connection, DbTransaction transaction, OpinionKind<T> kind, OpinionEdit edit,
        CancellationToken cancellationToken) where T : class, IOpinion =>
        connection.QuerySingleOrDefaultAsync<OpinionRow>(new CommandDefinition(
            $"SELECT {Columns(kind)} FROM {kind.Table} WHERE batch_id = @BatchId AND {kind.PersonColumn} = @PersonId{dialect.ForUpdate}",
            new { edit.BatchId, edit.PersonId }, transaction, cancellationToken: cancellationToken));

    private static OpinionRow Row(string id, OpinionEdit edit, int value, string? note, int revision, bool withdrawn) => new()
    {
        Id = id,
        BatchId = edit.BatchId,
        PersonId = edit.PersonId,
        ValueColumn = value,
        Note = note,
        AtMs = edit.At.ToUnixTimeMilliseconds(),
        RevisionColumn = revision,
        WithdrawnFlag = withdrawn ? 1 : 0,
    };

    private static string Insert<T>(OpinionKind<T> kind) where T : class, IOpinion => $"""
        INSERT INTO {kind.Table} ({kind.IdColumn}, batch_id, {kind.PersonColumn}, {kind.ValueColumn}, note, {kind.TimeColumn}, revision, withdrawn)
        VALUES (@Id, @BatchId, @PersonId, @Value, @Note, @AtMs, @Revision, @Withdrawn)
        """;

    private static string Upsert<T>(OpinionKind<T> kind) where T : class, IOpinion => $"""
        {Insert(kind)}
        ON CONFLICT (batch_id, {kind.PersonColumn}) DO UPDATE SET {kind.IdColumn} = excluded.{kind.IdColumn}, {kind.ValueColumn} = excluded.{kind.ValueColumn},
            note = excluded.note, {kind.TimeColumn} = excluded.{kind.TimeColumn}, revision = excluded.revision, withdrawn = excluded.withdrawn
        """;

    private static object Values(IOpinion opinion) => new
    {
        opinion.Id,
        opinion.BatchId,
        opinion.PersonId,
        opinion.Value,
        opinion.Note,
        AtMs = opinion.At.ToUnixTimeMilliseconds(),
        opinion.Revision,
        Withdrawn = opinion.Withdrawn ? 1 : 0,
    };

    private static string Columns<T>(OpinionKind<T> kind) where T : class, IOpinion =>
        $"{kind.IdColumn} AS Id, batch_id AS BatchId, {kind.PersonColumn} AS PersonId, {kind.ValueColumn} AS ValueColumn, note AS Note, " +
        $"{kind.TimeColumn} AS AtMs, revision AS RevisionColumn, withdrawn AS WithdrawnFlag";

    private sealed class ConcurrentFirstOpinionException : Exception;

    private sealed class OpinionRow : IOpinion
    {
        public string Id { get; set; } = "";
        public string BatchId { get; set; } = "";
        public string PersonId { get; set; } = "";
        // SQLite answers integers as 64-bit, PostgreSQL as 32-bit: long takes both.
        public long ValueColumn { get; set; }
        public string? Note { get; set; }
        public long AtMs { get; set; }
        public long RevisionColumn { get; set; }
        public long WithdrawnFlag { get; set; }

        public int Value => (int)ValueColumn;
        public DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds(AtMs);
        public int Revision => (int)RevisionColumn;
        public bool Withdrawn => WithdrawnFlag != 0;
    }
}
