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
/// Units of work over the one <see cref="DbDataSource"/>: a write is one transaction, retried as a whole on
/// SQL Server's transient errors and queued behind a single in-app writer on SQLite.
/// </summary>
public sealed class Database
{
    private readonly DbDataSource source;
    private readonly SemaphoreSlim? writeGate;
    private readonly TimeSpan writeLockTimeout;
    private readonly ResiliencePipeline retry;

    public Database(DbDataSource source, SqlDialect dialect, IOptions<DatabaseOptions> options, ILogger<Database> logger)
    {
        this.source = source;
        Dialect = dialect;
        writeGate = dialect.SingleWriter ? new SemaphoreSlim(1, 1) : null;
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

    public DbDataSource Source => source;

    public Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(async token =>
        {
            await using var connection = await OpenAsync(token);
            return await work(connection);
        }, cancellationToken).AsTask();

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(async token =>
        {
            if (writeGate is not null && !await writeGate.WaitAsync(writeLockTimeout, token))
            {
                throw new DatabaseBusyException("The database is busy with other writes.");
            }
            try
            {
                await using var connection = await OpenAsync(token);
                // Microsoft.Data.Sqlite starts every transaction with BEGIN IMMEDIATE: the write lock is taken up front.
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
                var result = await work(connection, transaction);
                await transaction.CommitAsync(token);
                return result;
            }
            finally
            {
                writeGate?.Release();
            }
        }, cancellationToken).AsTask();

    private ValueTask<DbConnection> OpenAsync(CancellationToken token) => source.OpenConnectionAsync(token);
}
