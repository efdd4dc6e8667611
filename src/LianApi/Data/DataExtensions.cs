using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;

namespace LianApi.Data;

public static class DataExtensions
{
    public static IServiceCollection AddData(this IServiceCollection services)
    {
        // Dapper sends DateTime as SQL Server's old datetime (3 ms steps) unless told; our columns are datetime2(7).
        SqlMapper.AddTypeMap(typeof(DateTime), DbType.DateTime2);
        services.AddOptions<DatabaseOptions>()
            // Production migrates with the migrate verb, once per release, not whenever an instance starts.
            .Configure<IServiceProvider>((o, sp) => o.MigrateOnStart = sp.GetService<IHostEnvironment>()?.IsProduction() != true)
            .BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => SqlDialect.For(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider));
        services.AddSingleton<DbDataSource>(sp =>
        {
            var provider = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider;
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName);
            if (provider == DatabaseProvider.SqlServer)
            {
                return new SqlServerDataSource(connectionString is { Length: > 0 } cs ? cs
                    : throw new InvalidOperationException("ConnectionStrings__Lian is required when Database__Provider=SqlServer."));
            }
            return new SqliteDataSource(connectionString is { Length: > 0 } sqlite ? sqlite : DatabaseOptions.DefaultSqliteConnectionString);
        });
        services.AddSingleton<StorageHealth>();
        services.AddSingleton<Database>();
        services.AddSingleton<LeaseStore>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<BulkLoad>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}

/// <summary>Development data a feature puts in a fresh database (Database__SeedDevelopmentData), after the migrations.</summary>
public interface IDevelopmentSeed
{
    Task ApplyAsync(CancellationToken ct);
}

/// <summary>
/// Before the server takes requests: checks what SQL Server must provide, brings the schema up to date where this
/// environment migrates on start, and seeds development data.
/// </summary>
internal sealed class DatabaseInitializer(SchemaMigrator migrator, IEnumerable<IDevelopmentSeed> seeds, IOptions<DatabaseOptions> options,
    Database db, IHostEnvironment environment, ILogger<DatabaseInitializer> logger) : IHostedService
{
    private const string SelectSnapshotIsOn = """
        SELECT CAST(is_read_committed_snapshot_on AS int) FROM sys.databases WHERE database_id = DB_ID()
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (db.Dialect == SqlDialect.SqlServer)
        {
            var snapshotOn = await db.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition(SelectSnapshotIsOn, cancellationToken: cancellationToken)), cancellationToken) == 1;
            if (ReadCommittedSnapshot.Problem(snapshotOn, environment.IsProduction()) is { } problem)
            {
                logger.LogCritical("{Problem}", problem);
                throw new InvalidOperationException(problem);
            }
            if (!snapshotOn)
            {
                logger.LogWarning("READ_COMMITTED_SNAPSHOT is off: readers wait for writers. {Fix}", ReadCommittedSnapshot.Fix);
            }
        }
        if (options.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        if (options.Value.SeedDevelopmentData)
        {
            foreach (var seed in seeds)
            {
                await seed.ApplyAsync(cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The isolation the stores are written for on SQL Server: readers see the last committed version, never wait.</summary>
public static class ReadCommittedSnapshot
{
    public const string Fix = "Run once: ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;";

    /// <summary>Why the app must not start, or null: in Production READ COMMITTED SNAPSHOT is required.</summary>
    public static string? Problem(bool snapshotOn, bool production) =>
        snapshotOn || !production ? null : "The database has READ_COMMITTED_SNAPSHOT off, which Production requires. " + Fix;
}
