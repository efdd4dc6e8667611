using System.Data;
using System.Data.Common;
using System.Threading.Channels;

namespace LianApi.Data;

/// <summary>
/// SQLite's single writer, as a queue with group commit. Writers queue instead of polling the file lock; the
/// writer loop takes every waiting unit of work, runs each in its own savepoint inside one transaction, commits
/// once (one fsync with synchronous=FULL) and only then answers each caller. A unit that fails is rolled back to
/// its savepoint alone, unless storage failed (disk full, I/O error): then the whole batch fails, because SQLite may
/// already have rolled the transaction back. No caller hears "done" before its work is durable.
/// </summary>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    private const int MaxBatch = 64;

    private readonly DbDataSource source;
    private readonly ILogger logger;
    private readonly Channel<WorkItem> queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;

    public SqliteWriteQueue(DbDataSource source, ILogger logger)
    {
        this.source = source;
        this.logger = logger;
        writer = Task.Run(RunAsync);
    }

    public async Task<T> EnqueueAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, TimeSpan timeout, CancellationToken ct)
    {
        var item = new WorkItem<T>(work, ct);
        if (!queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteWriteQueue));
        }
        try
        {
            return await item.Result.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // Only if the writer has not started it: once started, its outcome is the caller's to learn by retrying.
            if (item.TryAbandon())
            {
                throw new DatabaseBusyException("The database is busy with other writes.");
            }
            return await item.Result;
        }
        catch (OperationCanceledException) when (item.TryAbandon())
        {
            throw;
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<WorkItem>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                if (item.TryStart())
                {
                    batch.Add(item);
                }
            }
            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
            }
        }
    }

    private async Task WriteBatchAsync(List<WorkItem> batch)
    {
        var done = new List<WorkItem>(batch.Count);
        try
        {
            await using var connection = await source.OpenConnectionAsync();
            // Microsoft.Data.Sqlite starts the transaction with BEGIN IMMEDIATE: the write lock is taken up front.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
            foreach (var item in batch)
            {
                await transaction.SaveAsync("unit");
                try
                {
                    await item.RunAsync(connection, transaction);
                    await transaction.ReleaseAsync("unit");
                    done.Add(item);
                }
                catch (Exception e) when (!StorageHealth.IsStorageFailure(e))
                {
                    await transaction.RollbackAsync("unit");
                    await transaction.ReleaseAsync("unit");
                    item.Fail(e);
                }
            }
            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            // Storage failures are logged by StorageHealth, once a minute at most, not once per batch.
            if (!StorageHealth.IsStorageFailure(e))
            {
                logger.LogError(e, "A batch of {Count} writes failed to commit; every caller in it gets the error", batch.Count);
            }
            foreach (var item in batch.Except(done).Concat(done))
            {
                item.Fail(e);
            }
            return;
        }
        foreach (var item in done)
        {
            item.Complete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
    }

    private abstract class WorkItem
    {
        private const int Waiting = 0, Started = 1, Abandoned = 2;
        private int state;

        public bool TryStart() => Interlocked.CompareExchange(ref state, Started, Waiting) == Waiting;

        public bool TryAbandon() => Interlocked.CompareExchange(ref state, Abandoned, Waiting) == Waiting;

        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    private sealed class WorkItem<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) : WorkItem
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? result;

        public Task<T> Result => completion.Task;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction)
        {
            ct.ThrowIfCancellationRequested();
            result = await work(connection, transaction);
        }

        public override void Complete() => completion.TrySetResult(result!);

        public override void Fail(Exception e) => completion.TrySetException(e);
    }
}
