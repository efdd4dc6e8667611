using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using LianApi.Complaints;
using LianApi.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LianApi.Tests.Data;

/// <summary>
/// The app's real data source with a counter in front: connections, commands and transactions are thin wrappers
/// that delegate everything, and every command execution is recorded (its text) as one database round trip.
/// BEGIN, COMMIT and savepoints are not commands and are not counted; neither are the pragmas the inner SQLite
/// source runs itself, once per physical connection. It can also inject faults, such as a full disk failing every
/// COMMIT, through <see cref="CommitFault"/> and <see cref="WriteFault"/>.
/// </summary>
internal sealed class CountingDataSource(DbDataSource inner) : DbDataSource
{
    private readonly Lock gate = new();
    private readonly List<string> commands = [];

    private volatile Func<Exception>? commitFault;
    private volatile Func<Exception>? writeFault;

    public override string ConnectionString => inner.ConnectionString;

    /// <summary>While set, every COMMIT throws what it makes instead of committing (the transaction then rolls back).</summary>
    public Func<Exception>? CommitFault
    {
        get => commitFault;
        set => commitFault = value;
    }

    /// <summary>While set, every command run inside a transaction (a write) throws what it makes instead of running.</summary>
    public Func<Exception>? WriteFault
    {
        get => writeFault;
        set => writeFault = value;
    }

    /// <summary>Command texts in execution order since the last <see cref="Reset"/>, one entry per round trip.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (gate)
            {
                return [.. commands];
            }
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            commands.Clear();
        }
    }

    /// <summary>The commands <paramref name="request"/> makes the server run: reset, run it, snapshot. One request at a time.</summary>
    public async Task<IReadOnlyList<string>> CountAsync(Func<Task> request)
    {
        Reset();
        await request();
        return Commands;
    }

    /// <summary>
    /// Replaces the app's <see cref="DbDataSource"/> registration with a counting wrapper around the original, for
    /// <c>new LianApiFactory(configureServices: CountingDataSource.Install)</c>; get it back with <see cref="Of"/>.
    /// </summary>
    public static void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(DbDataSource));
        services.Remove(original);
        services.AddSingleton<DbDataSource>(sp => new CountingDataSource(original switch
        {
            { ImplementationFactory: { } factory } => (DbDataSource)factory(sp),
            { ImplementationInstance: DbDataSource instance } => instance,
            { ImplementationType: { } type } => (DbDataSource)ActivatorUtilities.CreateInstance(sp, type),
            _ => throw new InvalidOperationException("Unsupported DbDataSource registration"),
        }));
        // No background database work: the idempotency pruner runs right at startup and the sweep every minute,
        // and either could land inside a measured request; stopping them makes every counted command the request's.
        foreach (var background in services.Where(d => d.ServiceType == typeof(IHostedService)
            && (d.ImplementationType == typeof(DeadlineSweepService) || d.ImplementationType == typeof(IdempotencyKeyPruner))).ToList())
        {
            services.Remove(background);
        }
    }

    public static CountingDataSource Of(Infrastructure.LianApiFactory app) => (CountingDataSource)app.Service<DbDataSource>();

    private void Record(string commandText)
    {
        lock (gate)
        {
            commands.Add(commandText);
        }
    }

    protected override DbConnection CreateDbConnection() => new CountingConnection(this, inner, inner.CreateConnection());

    protected override DbConnection OpenDbConnection() => new CountingConnection(this, inner, inner.OpenConnection());

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        new CountingConnection(this, inner, await inner.OpenConnectionAsync(cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    /// <summary>
    /// Holds the inner connection. Opening a closed wrapper asks the inner data source for an open connection
    /// (so SQLite's per-connection pragmas apply) and replaces the unopened one it was created with.
    /// </summary>
    private sealed class CountingConnection(CountingDataSource counter, DbDataSource source, DbConnection connection) : DbConnection
    {
        public DbConnection Inner { get; private set; } = connection;

        [AllowNull]
        public override string ConnectionString
        {
            get => Inner.ConnectionString;
            set => Inner.ConnectionString = value;
        }

        public override int ConnectionTimeout => Inner.ConnectionTimeout;

        public override string Database => Inner.Database;

        public override string DataSource => Inner.DataSource;

        public override string ServerVersion => Inner.ServerVersion;

        public override ConnectionState State => Inner.State;

        public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);

        public override Task ChangeDatabaseAsync(string databaseName, CancellationToken cancellationToken = default) =>
            Inner.ChangeDatabaseAsync(databaseName, cancellationToken);

        public override void Open()
        {
            if (Inner.State != ConnectionState.Open)
            {
                var opened = source.OpenConnection();
                Inner.Dispose();
                Inner = opened;
            }
        }

        public override async Task OpenAsync(CancellationToken cancellationToken)
        {
            if (Inner.State != ConnectionState.Open)
            {
                var opened = await source.OpenConnectionAsync(cancellationToken);
                await Inner.DisposeAsync();
                Inner = opened;
            }
        }

        public override void Close() => Inner.Close();

        public override Task CloseAsync() => Inner.CloseAsync();

        public override DataTable GetSchema() => Inner.GetSchema();

        public override DataTable GetSchema(string collectionName) => Inner.GetSchema(collectionName);

        public override DataTable GetSchema(string collectionName, string?[] restrictionValues) => Inner.GetSchema(collectionName, restrictionValues);

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
            new CountingTransaction(counter, this, Inner.BeginTransaction(isolationLevel));

        protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
            new CountingTransaction(counter, this, await Inner.BeginTransactionAsync(isolationLevel, cancellationToken));

        protected override DbCommand CreateDbCommand() => new CountingCommand(counter, this, Inner.CreateCommand());

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await Inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private sealed class CountingTransaction(CountingDataSource counter, CountingConnection connection, DbTransaction transaction) : DbTransaction
    {
        public DbTransaction Inner => transaction;

        public override IsolationLevel IsolationLevel => transaction.IsolationLevel;

        protected override DbConnection DbConnection => connection;

        public override bool SupportsSavepoints => transaction.SupportsSavepoints;

        public override void Commit()
        {
            ThrowIfFaulted();
            transaction.Commit();
        }

        public override Task CommitAsync(CancellationToken cancellationToken = default)
        {
            ThrowIfFaulted();
            return transaction.CommitAsync(cancellationToken);
        }

        private void ThrowIfFaulted()
        {
            if (counter.CommitFault is { } fault)
            {
                throw fault();
            }
        }

        public override void Rollback() => transaction.Rollback();

        public override Task RollbackAsync(CancellationToken cancellationToken = default) => transaction.RollbackAsync(cancellationToken);

        public override void Save(string savepointName) => transaction.Save(savepointName);

        public override Task SaveAsync(string savepointName, CancellationToken cancellationToken = default) =>
            transaction.SaveAsync(savepointName, cancellationToken);

        public override void Rollback(string savepointName) => transaction.Rollback(savepointName);

        public override Task RollbackAsync(string savepointName, CancellationToken cancellationToken = default) =>
            transaction.RollbackAsync(savepointName, cancellationToken);

        public override void Release(string savepointName) => transaction.Release(savepointName);

        public override Task ReleaseAsync(string savepointName, CancellationToken cancellationToken = default) =>
            transaction.ReleaseAsync(savepointName, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                transaction.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private sealed class CountingCommand(CountingDataSource counter, CountingConnection? connection, DbCommand command) : DbCommand
    {
        private CountingConnection? connection = connection;
        private CountingTransaction? transaction;

        [AllowNull]
        public override string CommandText
        {
            get => command.CommandText;
            set => command.CommandText = value;
        }

        public override int CommandTimeout
        {
            get => command.CommandTimeout;
            set => command.CommandTimeout = value;
        }

        public override CommandType CommandType
        {
            get => command.CommandType;
            set => command.CommandType = value;
        }

        public override bool DesignTimeVisible
        {
            get => command.DesignTimeVisible;
            set => command.DesignTimeVisible = value;
        }

        public override UpdateRowSource UpdatedRowSource
        {
            get => command.UpdatedRowSource;
            set => command.UpdatedRowSource = value;
        }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set
            {
                connection = value as CountingConnection;
                command.Connection = connection?.Inner ?? value;
            }
        }

        protected override DbTransaction? DbTransaction
        {
            get => transaction ?? command.Transaction;
            set
            {
                transaction = value as CountingTransaction;
                command.Transaction = transaction?.Inner ?? value;
            }
        }

        protected override DbParameterCollection DbParameterCollection => command.Parameters;

        protected override DbParameter CreateDbParameter() => command.CreateParameter();

        public override void Cancel() => command.Cancel();

        public override void Prepare() => command.Prepare();

        public override Task PrepareAsync(CancellationToken cancellationToken = default) => command.PrepareAsync(cancellationToken);

        public override int ExecuteNonQuery()
        {
            Start();
            return command.ExecuteNonQuery();
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            Start();
            return command.ExecuteNonQueryAsync(cancellationToken);
        }

        public override object? ExecuteScalar()
        {
            Start();
            return command.ExecuteScalar();
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            Start();
            return command.ExecuteScalarAsync(cancellationToken);
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Start();
            return command.ExecuteReader(behavior);
        }

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            Start();
            return command.ExecuteReaderAsync(behavior, cancellationToken);
        }

        /// <summary>Records the round trip; the wrapper connection may have been opened (new inner) since the command was made.</summary>
        private void Start()
        {
            if (connection is not null && !ReferenceEquals(command.Connection, connection.Inner))
            {
                command.Connection = connection.Inner;
            }
            counter.Record(command.CommandText);
            if (DbTransaction is not null && counter.WriteFault is { } fault)
            {
                throw fault();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                command.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
