using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace LianApi.Data;

public sealed record SchemaScript(int Version, string Name, string Sql)
{
    private static readonly Regex BatchSeparator = new(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase);

    /// <summary>SQL Server scripts may be split into batches with GO lines, as in SSMS.</summary>
    public IEnumerable<string> Batches() =>
        BatchSeparator.Split(Sql).Select(b => b.Trim()).Where(b => b.Length > 0);
}

/// <summary>
/// Applies the embedded, numbered schema scripts of the current provider, each exactly once, each in its own
/// transaction together with its SchemaVersions row, so a crash mid-way leaves the previous version intact.
/// </summary>
public sealed partial class SchemaMigrator(Database db, TimeProvider time, ILogger<SchemaMigrator> logger)
{
    public static IReadOnlyList<SchemaScript> ScriptsFor(SqlDialect dialect)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Data.Schema.{dialect.SchemaFolder}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[prefix.Length..]))
            .OrderBy(s => s.Version)
            .ToList();
    }

    public int LatestVersion => ScriptsFor(db.Dialect)[^1].Version;

    private const string SelectAppliedVersions = "SELECT Version FROM SchemaVersions ORDER BY Version";

    public async Task<int> CurrentVersionAsync(CancellationToken ct)
    {
        var applied = await db.ReadAsync(async connection =>
        {
            await connection.ExecuteAsync(new CommandDefinition(db.Dialect.CreateSchemaVersionsTable, cancellationToken: ct));
            return await connection.QueryAsync<int>(new CommandDefinition(SelectAppliedVersions, cancellationToken: ct));
        }, ct);
        return applied.DefaultIfEmpty(0).Max();
    }

    private const string InsertVersion = "INSERT INTO SchemaVersions (Version, Script, AppliedAt) VALUES (@Version, @Script, @AppliedAt)";

    /// <summary>Returns the scripts it applied; none when the schema is already current.</summary>
    public async Task<IReadOnlyList<SchemaScript>> MigrateAsync(CancellationToken ct)
    {
        var current = await CurrentVersionAsync(ct);
        var pending = ScriptsFor(db.Dialect).Where(s => s.Version > current).ToList();
        foreach (var script in pending)
        {
            await db.WriteAsync(async (connection, transaction) =>
            {
                foreach (var batch in script.Batches())
                {
                    await connection.ExecuteAsync(new CommandDefinition(batch, transaction: transaction, cancellationToken: ct));
                }
                return await connection.ExecuteAsync(new CommandDefinition(InsertVersion,
                    new { script.Version, Script = script.Name, AppliedAt = time.GetUtcNow().UtcDateTime },
                    transaction, cancellationToken: ct));
            }, ct);
            logger.LogInformation("Applied schema script {Script}", script.Name);
        }
        return pending;
    }

    private static SchemaScript Load(Assembly assembly, string resource, string name)
    {
        var match = VersionPrefix().Match(name);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Schema script '{name}' must start with its version number, e.g. 003_name.sql.");
        }
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new SchemaScript(int.Parse(match.Groups[1].Value), name, reader.ReadToEnd());
    }

    [GeneratedRegex(@"^(\d+)_")]
    private static partial Regex VersionPrefix();
}
