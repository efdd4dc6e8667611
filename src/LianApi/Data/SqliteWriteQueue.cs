using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;

namespace LianApi.Data;

/// <summary>
/// SQLite's single writer, as a queue with group commit. Writers queue instead of polling the file lock; the
/// writer loop takes every waiting unit of work, runs each in its own savepoint inside one transaction, commits
/// once (one fsync with synchronous=FULL) and only then answers each caller. A unit that fails is rolled back to
/// its savepoint alone, unless storage failed (disk full, I/O error): then the whole batch fails, because SQLite may
/// already have rolled the transaction back. No caller hears "done" before its work is durable.
/// The writer also checkpoints the write-ahead log into the database file and truncates it, when it has grown past
/// <see cref="DatabaseOptions.WalCheckpointBytes"/> and whenever writes pause, so a burst never leaves the data
/// in an ever longer log. A TRUNCATE checkpoint waits a moment for readers still using the log, which automatic
/// (passive) checkpoints never do; with readers always overlapping, the log would otherwise only grow.
/// </summary>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    private const int MaxBatch = 64;
    private static readonly TimeSpan MaxIdleCheckpointDelay = TimeSpan.FromMinutes(1);

    private readonly DbDataSource source;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string? walPath;
    private readonly string checkpointConnectionString;
    private readonly long walCheckpointBytes;
    private readonly TimeSpan idleCheckpointDelay;
    private readonly Channel<WorkItem> queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;
    private DateTimeOffset lastCheckpointWarning = DateTimeOffset.MinValue;
    // Open while the writer runs, so the statements it compiled stay compiled; opened again after a batch failed.
    private StatementCachingConnection? connection;
    // After a checkpoint readers kept from finishing, the next tries wait for more growth or a longer pause.
    private long nextSizeCheckpoint;
    private TimeSpan nextIdleCheckpoint;

    public SqliteWriteQueue(DbDataSource source, DatabaseOptions options, TimeProvider time, ILogger logger)
    {
        this.source = source;
        this.time = time;
        this.logger = logger;
        walPath = WalPathOf(source.ConnectionString);
        checkpointConnectionString = new SqliteConnectionStringBuilder(source.ConnectionString) { Pooling = false }.ToString();
        walCheckpointBytes = nextSizeCheckpoint = options.WalCheckpointBytes;
        idleCheckpointDelay = nextIdleCheckpoint = options.WalIdleCheckpointDelay;
        writer = Task.Run(RunAsync);
    }

    public async Task<T> EnqueueAsync<T>(Func<DbConnection, DbTransaction, TransactionTail, Task<T>> work, TimeSpan timeout, CancellationToken ct)
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
        // Fires once the writer had nothing to do for a while. Armed after each commit before its callers hear "done",
        // so a clock moved after an answer (a test's fake clock) always finds it armed.
        CancellationTokenSource? idle = null;
        try
        {
            while (true)
            {
                bool open;
                try
                {
                    open = await queue.Reader.WaitToReadAsync(idle?.Token ?? CancellationToken.None);
                }
                catch (OperationCanceledException) when (idle is { IsCancellationRequested: true })
                {
                    idle.Dispose();
                    idle = null;
                    if (!await CheckpointAsync())
                    {
                        nextIdleCheckpoint = TimeSpan.FromTicks(Math.Min(nextIdleCheckpoint.Ticks * 2, MaxIdleCheckpointDelay.Ticks));
                        idle = new CancellationTokenSource(nextIdleCheckpoint, time);
                    }
                    continue;
                }
                if (!open)
                {
                    break;
                }
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
                {
                    if (item.TryStart())
                    {
                        batch.Add(item);
                    }
                }
                if (batch.Count == 0)
                {
                    continue;
                }
                var committed = await WriteBatchAsync(batch);
                if (committed.Count > 0)
                {
                    idle?.Dispose();
                    idle = new CancellationTokenSource(nextIdleCheckpoint, time);
                }
                foreach (var item in committed)
                {
                    item.Complete();
                }
                if (committed.Count > 0 && WalBytes() >= nextSizeCheckpoint)
                {
                    await CheckpointAsync();
                }
            }
        }
        finally
        {
            idle?.Dispose();
        }
        // Leave the database file complete when the app stops.
        await CloseConnectionAsync();
        await CheckpointAsync();
    }

    /// <summary>Runs the batch in one transaction; returns the units that committed, for the caller to answer.</summary>
    private async Task<List<WorkItem>> WriteBatchAsync(List<WorkItem> batch)
    {
        var done = new List<WorkItem>(batch.Count);
        try
        {
            connection ??= await OpenWriterConnectionAsync();
            // Microsoft.Data.Sqlite starts the transaction with BEGIN IMMEDIATE: the write lock is taken up front.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
            var tail = new TransactionTail(mergesUnits: true);
            foreach (var item in batch)
            {
                await transaction.SaveAsync("unit");
                try
                {
                    await item.RunAsync(connection, transaction, tail);
                    await transaction.ReleaseAsync("unit");
                    tail.KeepUnit();
                    done.Add(item);
                }
                catch (Exception e) when (!StorageHealth.IsStorageFailure(e))
                {
                    tail.DropUnit();
                    await transaction.RollbackAsync("unit");
                    await transaction.ReleaseAsync("unit");
                    item.Fail(e);
                }
            }
            // What the committed units left to the end (their statistics) is written once for all of them.
            await tail.WriteAsync(connection, transaction, SqlDialect.Sqlite, CancellationToken.None);
            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            // Whatever state the failure left the connection in, the next batch starts on a fresh one.
            await CloseConnectionAsync();
            // Storage failures are logged by StorageHealth, once a minute at most, not once per batch.
            if (!StorageHealth.IsStorageFailure(e))
            {
                logger.LogError(e, "A batch of {Count} writes failed to commit; every caller in it gets the error", batch.Count);
            }
            foreach (var item in batch.Except(done).Concat(done))
            {
                item.Fail(e);
            }
            return [];
        }
        return done;
    }

    // Each unit runs in a savepoint, so every page a statement changes is first copied to SQLite's statement journal;
    // in a temporary file (SQLite's default) that copy cost more than the report's INSERT itself.
    private const string JournalsInMemory = "PRAGMA temp_store = MEMORY";
    private const string JournalsAsDefault = "PRAGMA temp_store = DEFAULT";

    private async Task<StatementCachingConnection> OpenWriterConnectionAsync()
    {
        var opened = await source.OpenConnectionAsync();
        await opened.ExecuteAsync(JournalsInMemory);
        return new StatementCachingConnection(opened);
    }

    private async Task CloseConnectionAsync()
    {
        if (connection is null)
        {
            return;
        }
        try
        {
            // Back to the pool as readers expect it: their large sorts spill to disk, not memory.
            await connection.ExecuteAsync(JournalsAsDefault);
        }
        catch (DbException)
        {
            // A connection that cannot run a pragma is closed all the same.
        }
        await connection.DisposeAsync();
        connection = null;
    }

    private sealed record CheckpointResult(long Busy, long Log, long Checkpointed);

    // Readers of this app take milliseconds; one that takes longer is not waited for, and the writer goes on.
    private const string ShortBusyTimeout = "PRAGMA busy_timeout = 250";

    private const string TruncateWal = "PRAGMA wal_checkpoint(TRUNCATE)";

    /// <summary>
    /// Copies the log into the database file and truncates it; false when readers still in the log kept it from
    /// finishing (then it copied what it could, like a passive checkpoint). Its own unpooled connection: it is
    /// housekeeping, not a unit of work, and its short busy timeout must not stay on a pooled connection.
    /// </summary>
    private async Task<bool> CheckpointAsync()
    {
        if (WalBytes() == 0)
        {
            return true;
        }
        try
        {
            await using var connection = new SqliteConnection(checkpointConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync(ShortBusyTimeout);
            var result = await connection.QuerySingleAsync<CheckpointResult>(TruncateWal);
            var complete = result.Busy == 0;
            nextSizeCheckpoint = complete ? walCheckpointBytes : WalBytes() + walCheckpointBytes;
            nextIdleCheckpoint = complete ? idleCheckpointDelay : nextIdleCheckpoint;
            if (!complete)
            {
                logger.LogDebug("WAL checkpoint incomplete: {Checkpointed} of {Frames} frames copied", result.Checkpointed, result.Log);
            }
            return complete;
        }
        catch (Exception e) when (e is DbException or IOException)
        {
            // A checkpoint that fails (disk full, say) must not stop the writer; writes report their own failures.
            var now = time.GetUtcNow();
            if (now - lastCheckpointWarning >= StorageHealth.LogInterval)
            {
                lastCheckpointWarning = now;
                logger.LogWarning("WAL checkpoint failed, the log stays as it is until the next one: {Reason}", e.Message);
            }
            return false;
        }
    }

    private long WalBytes()
    {
        if (walPath is null)
        {
            return 0;
        }
        var wal = new FileInfo(walPath);
        return wal.Exists ? wal.Length : 0;
    }

    private static string? WalPathOf(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:"
            ? null
            : Path.GetFullPath(builder.DataSource) + "-wal";
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

        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction, TransactionTail tail);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    private sealed class WorkItem<T>(Func<DbConnection, DbTransaction, TransactionTail, Task<T>> work, CancellationToken ct) : WorkItem
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? result;

        public Task<T> Result => completion.Task;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction, TransactionTail tail)
        {
            ct.ThrowIfCancellationRequested();
            result = await work(connection, transaction, tail);
        }

        public override void Complete() => completion.TrySetResult(result!);

        public override void Fail(Exception e) => completion.TrySetException(e);
    }
}
