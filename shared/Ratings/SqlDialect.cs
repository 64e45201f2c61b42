using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace WineFunctions.Ratings;

/// <summary>
/// What differs between SQLite and PostgreSQL for the ratings store; the SQL itself is shared
/// (ON CONFLICT, integer milliseconds for times, DOUBLE PRECISION casts work in both).
/// </summary>
public sealed class SqlDialect : IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask<DbConnection>> _open;
    private readonly Func<ValueTask> _dispose;

    private SqlDialect(string name, Func<CancellationToken, ValueTask<DbConnection>> open, Func<ValueTask> dispose, string forUpdate, SemaphoreSlim? writeGate)
    {
        Name = name;
        _open = open;
        _dispose = dispose;
        ForUpdate = forUpdate;
        WriteGate = writeGate;
    }

    public string Name { get; }

    /// <summary>A column matching any element of a list parameter: Dapper expands lists for SQLite, Npgsql binds them as arrays.</summary>
    public string AnyOf(string column, string parameter) => Name == "postgres" ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>Row locking for read-modify-write of a batch row (SQLite locks the whole file on write anyway).</summary>
    public string ForUpdate { get; }

    /// <summary>SQLite allows one writer: queueing writes in-process is smoother than its busy-retry loop.</summary>
    public SemaphoreSlim? WriteGate { get; }

    public ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => _open(cancellationToken);

    public static SqlDialect Sqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 };
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
        var text = builder.ToString();
        // A pooled connection keeps its native handle, and a handle keeps its pragmas: set them once per handle.
        var configured = new ConditionalWeakTable<object, object>();
        return new SqlDialect("sqlite", async cancellationToken =>
        {
            var connection = new SqliteConnection(text);
            await connection.OpenAsync(cancellationToken);
            if (connection.Handle is { } handle && !configured.TryGetValue(handle, out _))
            {
                await using var pragma = connection.CreateCommand();
                // With WAL (set once by the migration) NORMAL syncs at checkpoints: safe against a process crash.
                pragma.CommandText = "PRAGMA synchronous=NORMAL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
                configured.AddOrUpdate(handle, handle);
            }
            return connection;
        }, () =>
        {
            SqliteConnection.ClearAllPools();
            return ValueTask.CompletedTask;
        }, "", new SemaphoreSlim(1, 1));
    }

    public static SqlDialect Postgres(string connectionString)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        return new SqlDialect("postgres", async cancellationToken => await source.OpenConnectionAsync(cancellationToken),
            () => source.DisposeAsync(), " FOR UPDATE", null);
    }

    public ValueTask DisposeAsync() => _dispose();
}
