using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace LianApi.Data;

/// <summary>
/// SQLite settings are per physical connection: WAL so readers never wait for the writer, synchronous=FULL so an
/// acknowledged report survives power loss, and a size the write-ahead log is cut back to whenever SQLite restarts
/// it. They are applied the first time each pooled handle is opened; a pooled connection reopened later keeps
/// them, so reads do not pay for compiling the pragmas each time.
/// </summary>
internal sealed class SqliteDataSource(string connectionString) : DbDataSource
{
    /// <summary>The <c>journal_size_limit</c> below, in bytes: about SQLite's 1000-page automatic checkpoint.</summary>
    public const long JournalSizeLimit = 4 * 1024 * 1024;

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> configured = new();

    private const string ConnectionPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA foreign_keys = ON;
        PRAGMA busy_timeout = 5000;
        PRAGMA journal_size_limit = 4194304;
        """;

    private readonly string connectionString = Normalize(connectionString);

    public override string ConnectionString => connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        ApplyPragmas(connection);
        return connection;
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        ApplyPragmas(connection);
        return connection;
    }

    private void ApplyPragmas(SqliteConnection connection)
    {
        if (connection.Handle is not { } handle || configured.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        command.ExecuteNonQuery();
        configured.AddOrUpdate(handle, handle);
    }

    private static string Normalize(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            DefaultTimeout = 10,
            Pooling = true,
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory) && builder.Mode != SqliteOpenMode.Memory)
        {
            Directory.CreateDirectory(directory);
        }
        return builder.ToString();
    }
}

/// <summary>Opening is retried on SQL Server's transient errors; commands are retried per unit of work instead.</summary>
internal sealed class SqlServerDataSource(string connectionString) : DbDataSource
{
    private static readonly SqlRetryLogicBaseProvider OpenRetry = SqlConfigurableRetryFactory.CreateExponentialRetryProvider(
        new SqlRetryLogicOption
        {
            NumberOfTries = 4,
            DeltaTime = TimeSpan.FromSeconds(1),
            MaxTimeInterval = TimeSpan.FromSeconds(10),
            TransientErrors = SqlServerTransientErrors.Numbers,
        });

    public override string ConnectionString => connectionString;

    protected override DbConnection CreateDbConnection() =>
        new SqlConnection(connectionString) { RetryLogicProvider = OpenRetry };
}

/// <summary>The SQL Server error numbers we treat as "roll back and run the whole unit of work again".</summary>
internal static class SqlServerTransientErrors
{
    // Deadlock victim and lock timeouts (1204, 1205, 1222), login failures during failover (4060, 4221), Azure SQL
    // throttling, moves and failovers (10928, 10929, 40143, 40197, 40501, 40540, 40613, 49918-49920), and broken
    // connections (233, 997, 10053, 10054, 10060, 64, 121). -2 (command timeout) is left out on purpose: the command
    // may have committed; so are 2627/2601 (a duplicate is an answer, not a fault).
    public static readonly int[] Numbers =
        [64, 121, 233, 997, 1204, 1205, 1222, 4060, 4221, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40540, 40613, 49918, 49919, 49920];

    /// <summary>Any of the exception's errors is transient: SQL Server often reports a failover as several errors at once.</summary>
    public static bool IsTransient(SqlException e) => e.Errors.Cast<SqlError>().Any(error => Numbers.Contains(error.Number));
}
