using System.Data.Common;
using System.Threading.Channels;
using Dapper;

namespace WineFunctions.Ratings;

/// <summary>The writes of ratings and scores: one transaction each on PostgreSQL, committed in groups on SQLite.</summary>
public sealed partial class SqlRatingsStore
{
    private const int MaxGroup = 512;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _groupCommits;

    private Task<T> GroupWriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (dialect.WriteGate is null)
        {
            // PostgreSQL takes concurrent writers: each change is its own transaction.
            return WriteAsync(work, cancellationToken);
        }
        // SQLite has one writer: changes arriving together are committed together (group commit), one WAL write for many.
        var write = new PendingWrite<T>(work);
        _writes.Writer.TryWrite(write);
        if (_groupCommits is null)
        {
            lock (_writes)
            {
                _groupCommits ??= Task.Run(GroupCommitAsync, CancellationToken.None);
            }
        }
        return write.Done.Task;
    }

    private async Task StopGroupCommitsAsync()
    {
        _writes.Writer.TryComplete();
        if (_groupCommits is { } groupCommits)
        {
            await groupCommits;
        }
    }

    private async Task GroupCommitAsync()
    {
        var group = new List<PendingWrite>();
        while (await _writes.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _writes.Reader.TryRead(out var write))
            {
                group.Add(write);
            }
            try
            {
                // No caller's token: the group holds other callers' changes, which one cancelled request must not undo.
                var failures = await WriteAsync(async (connection, transaction) =>
                {
                    var failed = new Exception?[group.Count];
                    for (var i = 0; i < group.Count; i++)
                    {
                        // A savepoint each, so that one failed change does not undo the others.
                        await connection.ExecuteAsync(new CommandDefinition("SAVEPOINT opinion", transaction: transaction));
                        try
                        {
                            await group[i].RunAsync(connection, transaction);
                        }
                        catch (Exception e)
                        {
                            await connection.ExecuteAsync(new CommandDefinition("ROLLBACK TO SAVEPOINT opinion", transaction: transaction));
                            failed[i] = e;
                        }
                        await connection.ExecuteAsync(new CommandDefinition("RELEASE SAVEPOINT opinion", transaction: transaction));
                    }
                    return failed;
                }, CancellationToken.None);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Finish(failures[i]);
                }
            }
            catch (Exception e)
            {
                group.ForEach(write => write.Finish(e));
            }
        }
    }

    private abstract class PendingWrite
    {
        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

        /// <summary>Answers the caller once the group's transaction has committed (or failed).</summary>
        public abstract void Finish(Exception? error);
    }

    private sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, Task<T>> work) : PendingWrite
    {
        private T? _result;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction) => _result = await work(connection, transaction);

        public override void Finish(Exception? error)
        {
            if (error is null)
            {
                Done.TrySetResult(_result!);
            }
            else
            {
                Done.TrySetException(error);
            }
        }
    }
}
