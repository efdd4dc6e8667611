using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace LianApi.Data;

/// <summary>Raised when the database stays busy past the write budget; the API answers 503 with Retry-After.</summary>
public sealed class DatabaseBusyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Units of work over the one <see cref="DbDataSource"/>: a write is one transaction on SQL Server, retried as a
/// whole on its transient errors; on SQLite it is one savepoint in the single writer's group commit. Storage
/// failures (disk full, I/O errors) surface as <see cref="StorageUnavailableException"/> and are reported to
/// <see cref="StorageHealth"/>; only its probe, a report-sized write, tells it that storage works again.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly DbDataSource source;
    private readonly StorageHealth storage;
    private readonly SqliteWriteQueue? writeQueue;
    private readonly SqliteReaderPool? readers;
    private readonly TimeSpan writeLockTimeout;
    private readonly ResiliencePipeline retry;
    // Per instance: only a write to this same database from inside one of its units is a self-deadlock.
    private readonly AsyncLocal<RunningUnit?> runningUnit = new();

    internal const string NestedWriteMessage =
        "Database.WriteAsync was called from inside another WriteAsync unit of work. A write cannot wait for the unit " +
        "it is part of (on SQLite it would wait for its own writer until the write lock timeout); do the work with " +
        "the outer unit's connection and transaction instead.";

    public Database(DbDataSource source, SqlDialect dialect, IOptions<DatabaseOptions> options, StorageHealth storage,
        TimeProvider time, ILogger<Database> logger)
    {
        this.source = source;
        this.storage = storage;
        Dialect = dialect;
        writeQueue = dialect.SingleWriter ? new SqliteWriteQueue(source, options.Value, time, logger) : null;
        readers = dialect.SingleWriter ? new SqliteReaderPool(source, ReaderConnectionsKept) : null;
        writeLockTimeout = options.Value.WriteLockTimeout;
        retry = dialect.SingleWriter ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<SqlException>(SqlServerTransientErrors.IsTransient),
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception, "Transient SQL Server error; running the unit of work again (attempt {Attempt})", args.AttemptNumber + 2);
                    return default;
                },
            })
            .Build();
    }

    public SqlDialect Dialect { get; }

    // Enough for every request a 2-core server has in flight at once; more readers than this open pooled connections.
    private const int ReaderConnectionsKept = 16;

    internal const string ReadInWriteMessage =
        "Database.ReadAsync was called from inside a WriteAsync unit of work. A second pooled connection inside a " +
        "write transaction does not see the write, can block on its locks, and doubles the connections in use: load " +
        "what the write needs before it starts, or read with the unit's own connection and transaction.";

    /// <exception cref="InvalidOperationException">Called from inside a write unit of work of this database.</exception>
    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        if (runningUnit.Value is { IsRunning: true })
        {
            throw new InvalidOperationException(ReadInWriteMessage);
        }
        try
        {
            if (readers is not null)
            {
                return await ReadKeptAsync(readers, work, cancellationToken);
            }
            return await retry.ExecuteAsync(async token =>
            {
                await using var connection = await OpenAsync(token);
                return await work(connection);
            }, cancellationToken);
        }
        catch (Exception e) when (StorageHealth.IsStorageFailure(e))
        {
            throw storage.Failed(e);
        }
    }

    private static async Task<T> ReadKeptAsync<T>(SqliteReaderPool pool, Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        var connection = await pool.RentAsync(ct);
        var healthy = false;
        try
        {
            var result = await work(connection);
            healthy = true;
            return result;
        }
        finally
        {
            await pool.ReturnAsync(connection, healthy);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction and returns only once it is committed (durable).</summary>
    /// <exception cref="InvalidOperationException">Called from inside another unit of work of this database.</exception>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        // On SQLite the inner write would wait for the writer busy running the outer one: a deadlock until
        // WriteLockTimeout. On SQL Server it would be a second transaction, blocked by the first one's locks or
        // committed even if the outer one rolls back. Either way it is a bug, so it fails at once.
        if (runningUnit.Value is { IsRunning: true })
        {
            throw new InvalidOperationException(NestedWriteMessage);
        }
        return CommittedAsync(writeQueue is not null
            ? writeQueue.EnqueueAsync((connection, transaction, tail) => RunUnitAsync(work, connection, transaction, tail), writeLockTimeout, cancellationToken)
            : retry.ExecuteAsync(async token =>
            {
                await using var connection = await OpenAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
                var tail = new TransactionTail(mergesUnits: false);
                var result = await RunUnitAsync(work, connection, transaction, tail);
                tail.KeepUnit();
                await tail.WriteAsync(connection, transaction, Dialect, token);
                await transaction.CommitAsync(token);
                return result;
            }, cancellationToken).AsTask());
    }

    private async Task<T> CommittedAsync<T>(Task<T> write)
    {
        try
        {
            return await write;
        }
        catch (Exception e) when (StorageHealth.IsStorageFailure(e))
        {
            throw storage.Failed(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (readers is not null)
        {
            await readers.DisposeAsync();
        }
        if (writeQueue is not null)
        {
            await writeQueue.DisposeAsync();
        }
    }

    private ValueTask<DbConnection> OpenAsync(CancellationToken token) => source.OpenConnectionAsync(token);

    /// <summary>A batch of statements for the unit of work running now, with its transaction's tail.</summary>
    /// <exception cref="InvalidOperationException">Called outside a unit of work of this database.</exception>
    public WriteBatch Batch(DbConnection connection, DbTransaction transaction) =>
        new(connection, transaction, Dialect, runningUnit.Value is { IsRunning: true } unit ? unit.Tail
            : throw new InvalidOperationException("Database.Batch is for the connection and transaction of a running WriteAsync unit of work."));

    private async Task<T> RunUnitAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, DbConnection connection, DbTransaction transaction,
        TransactionTail tail)
    {
        // Set in the flow that runs the work (on SQLite the writer loop, not the caller), so the work and its
        // continuations see it; an async method's AsyncLocal changes never flow back out to the writer loop.
        var unit = new RunningUnit(tail);
        runningUnit.Value = unit;
        try
        {
            return await work(connection, transaction);
        }
        finally
        {
            // A task the work started and left running inherits the marker; once the unit is over it may write.
            unit.IsRunning = false;
        }
    }

    private sealed class RunningUnit(TransactionTail tail)
    {
        public volatile bool IsRunning = true;

        public TransactionTail Tail { get; } = tail;
    }
}
