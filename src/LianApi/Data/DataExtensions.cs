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
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
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
        services.AddSingleton<SchemaMigrator>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}

/// <summary>Brings the schema up to date (and seeds development data) before the server takes requests.</summary>
/// <summary>Development data a feature puts in a fresh database (Database__SeedDevelopmentData), after the migrations.</summary>
public interface IDevelopmentSeed
{
    Task ApplyAsync(CancellationToken ct);
}

internal sealed class DatabaseInitializer(SchemaMigrator migrator, IEnumerable<IDevelopmentSeed> seeds, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
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
