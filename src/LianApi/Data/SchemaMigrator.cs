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
public sealed partial class SchemaMigrator(Database db, BulkLoad bulkLoad, TimeProvider time, ILogger<SchemaMigrator> logger)
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

    /// <summary>A schema script may build an index over a big table: far beyond the default 30 s command timeout.</summary>
    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(30);

    private const string SelectCurrentVersion = "SELECT COALESCE(MAX(Version), 0) FROM SchemaVersions";

    /// <summary>The version of the schema; reads only (readiness asks it), so it fails while nothing was ever migrated.</summary>
    public Task<int> CurrentVersionAsync(CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition(SelectCurrentVersion, cancellationToken: ct)), ct);

    private const string SelectApplied = "SELECT Version FROM SchemaVersions";

    private const string InsertVersion = "INSERT INTO SchemaVersions (Version, Script, AppliedAt) VALUES (@Version, @Script, @AppliedAt)";

    /// <summary>
    /// Applies the pending scripts, each in its own transaction under the migration lock, re-reading under the lock what
    /// is applied: instances starting together never run a script twice (the loser of the race finds it done).
    /// Then builds the indexes a bulk load killed half-way left dropped. Returns the scripts this call applied.
    /// </summary>
    public async Task<IReadOnlyList<SchemaScript>> MigrateAsync(CancellationToken ct)
    {
        var applied = new List<SchemaScript>();
        var done = await UnderLockAsync(async (c, tx) => (await c.QueryAsync<int>(new CommandDefinition(SelectApplied, transaction: tx, cancellationToken: ct))).ToHashSet(), ct);
        foreach (var script in ScriptsFor(db.Dialect).Where(s => !done.Contains(s.Version)))
        {
            var ran = await UnderLockAsync(async (c, tx) =>
            {
                if ((await c.QueryAsync<int>(new CommandDefinition(SelectApplied, transaction: tx, cancellationToken: ct))).Contains(script.Version))
                {
                    return false;
                }
                foreach (var batch in script.Batches())
                {
                    await c.ExecuteAsync(new CommandDefinition(batch, transaction: tx, commandTimeout: (int)ScriptTimeout.TotalSeconds, cancellationToken: ct));
                }
                await c.ExecuteAsync(new CommandDefinition(InsertVersion,
                    new { script.Version, Script = script.Name, AppliedAt = time.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
                return true;
            }, ct);
            if (ran)
            {
                applied.Add(script);
                logger.LogInformation("Applied schema script {Script}", script.Name);
            }
        }
        await bulkLoad.BuildDeferredIndexesAsync(ct);
        return applied;
    }

    /// <summary>A unit of work holding the migration lock, with the versions table created if this is the first migration ever.</summary>
    private Task<T> UnderLockAsync<T>(Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task<T>> work, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            if (db.Dialect.TakeMigrationLock.Length > 0)
            {
                await c.ExecuteAsync(new CommandDefinition(db.Dialect.TakeMigrationLock, transaction: tx, commandTimeout: (int)ScriptTimeout.TotalSeconds, cancellationToken: ct));
            }
            await c.ExecuteAsync(new CommandDefinition(db.Dialect.CreateSchemaVersionsTable, transaction: tx, cancellationToken: ct));
            return await work(c, tx);
        }, ct);

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
