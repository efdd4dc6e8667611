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
/// whole on its transient errors; on SQLite it is one savepoint in the single writer's group commit.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly DbDataSource source;
    private readonly SqliteWriteQueue? writeQueue;
    private readonly TimeSpan writeLockTimeout;
    private readonly ResiliencePipeline retry;

    public Database(DbDataSource source, SqlDialect dialect, IOptions<DatabaseOptions> options, ILogger<Database> logger)
    {
        this.source = source;
        Dialect = dialect;
        writeQueue = dialect.SingleWriter ? new SqliteWriteQueue(source, logger) : null;
        writeLockTimeout = options.Value.WriteLockTimeout;
        retry = dialect.SingleWriter ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<SqlException>(e => SqlServerTransientErrors.Numbers.Contains(e.Number)),
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception, "Transient SQL Server error; running the unit of work again (attempt {Attempt})", args.AttemptNumber + 2);
                    return default;
                },
            })
            .Build();
    }

    public SqlDialect Dialect { get; }

    public Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(async token =>
        {
            await using var connection = await OpenAsync(token);
            return await work(connection);
        }, cancellationToken).AsTask();

    /// <summary>Runs <paramref name="work"/> in a transaction and returns only once it is committed (durable).</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        writeQueue is not null
            ? writeQueue.EnqueueAsync(work, writeLockTimeout, cancellationToken)
            : retry.ExecuteAsync(async token =>
            {
                await using var connection = await OpenAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(token);
                return result;
            }, cancellationToken).AsTask();

    public ValueTask DisposeAsync() => writeQueue?.DisposeAsync() ?? ValueTask.CompletedTask;

    private ValueTask<DbConnection> OpenAsync(CancellationToken token) => source.OpenConnectionAsync(token);
}
