using System.Text.RegularExpressions;
using Dapper;

namespace LianApi.Data;

/// <summary>
/// A load of many cases at once (the demo-data verb) on SQLite: the writer gets a large page cache for the load, and
/// when the load at least doubles the cases, the secondary indexes of the case tables are dropped before it and each
/// is built once after it, which costs far less than keeping thirty indexes in order row by row. Each dropped index's
/// definition is recorded in DeferredIndexes in the transaction that drops it, and every migration run (each start and
/// each verb) builds whatever is still listed, so a load killed half-way loses no index. On SQL Server a load writes
/// with its indexes in place.
/// </summary>
public sealed partial class BulkLoad(Database db, TimeProvider time, ILogger<BulkLoad> logger)
{
    /// <summary>Loads smaller than this keep their indexes: building thirty indexes costs more than it saves.</summary>
    public const int DeferIndexesFrom = 1000;

    private const string LoadCache = "PRAGMA cache_size = -524288";
    private const string DefaultCache = "PRAGMA cache_size = -2000";

    private const string SelectCaseCount = "SELECT COALESCE(MAX(Id), 0) FROM Complaints";

    private const string SelectIndexes = """
        SELECT name AS Name, sql AS Definition FROM sqlite_master
        WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('Complaints', 'ComplaintEvents')
        ORDER BY rowid
        """;

    private const string InsertDeferred = "INSERT INTO DeferredIndexes (Name, Definition, DeferredAt) VALUES (@Name, @Definition, @DeferredAt)";

    private const string SelectDeferred = "SELECT Name, Definition FROM DeferredIndexes ORDER BY rowid";

    private const string SelectIndexExists = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @Name";

    private const string DeleteDeferred = "DELETE FROM DeferredIndexes WHERE Name = @Name";

    public sealed record IndexDefinition(string Name, string Definition);

    /// <summary>Prepares the writer for <paramref name="cases"/> new cases; returns how many indexes wait for <see cref="EndAsync"/>.</summary>
    public Task<int> BeginAsync(int cases, CancellationToken ct) =>
        db.Dialect != SqlDialect.Sqlite ? Task.FromResult(0) : db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(LoadCache, transaction: tx, cancellationToken: ct));
            var stored = await c.ExecuteScalarAsync<long>(new CommandDefinition(SelectCaseCount, transaction: tx, cancellationToken: ct));
            if (cases < DeferIndexesFrom || cases < stored)
            {
                return 0;
            }
            var indexes = (await c.QueryAsync<IndexDefinition>(new CommandDefinition(SelectIndexes, transaction: tx, cancellationToken: ct))).AsList();
            foreach (var index in indexes)
            {
                await c.ExecuteAsync(new CommandDefinition(InsertDeferred, new { index.Name, index.Definition, DeferredAt = time.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
                await c.ExecuteAsync(new CommandDefinition($"DROP INDEX {Identifier(index.Name)}", transaction: tx, cancellationToken: ct));
            }
            return indexes.Count;
        }, ct);

    /// <summary>Builds the deferred indexes and gives the writer its usual cache back; returns how many were built.</summary>
    public async Task<int> EndAsync(CancellationToken ct)
    {
        if (db.Dialect != SqlDialect.Sqlite)
        {
            return 0;
        }
        var built = await BuildDeferredIndexesAsync(ct);
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(DefaultCache, transaction: tx, cancellationToken: ct)), ct);
        return built;
    }

    /// <summary>
    /// Builds every index listed in DeferredIndexes, each in its own transaction with the removal of its row, in the order
    /// they were made: without statistics, SQLite breaks a tie between two equally good indexes by their order in the
    /// schema, so a loaded database plans its queries as a migrated one does.
    /// </summary>
    public async Task<int> BuildDeferredIndexesAsync(CancellationToken ct)
    {
        if (db.Dialect != SqlDialect.Sqlite)
        {
            return 0;
        }
        var deferred = await db.ReadAsync(async c => (await c.QueryAsync<IndexDefinition>(new CommandDefinition(SelectDeferred, cancellationToken: ct))).AsList(), ct);
        foreach (var index in deferred)
        {
            await db.WriteAsync(async (c, tx) =>
            {
                if (await c.ExecuteScalarAsync<int>(new CommandDefinition(SelectIndexExists, new { index.Name }, tx, cancellationToken: ct)) == 0)
                {
                    await c.ExecuteAsync(new CommandDefinition(index.Definition, transaction: tx, commandTimeout: (int)SchemaMigrator.ScriptTimeout.TotalSeconds, cancellationToken: ct));
                }
                return await c.ExecuteAsync(new CommandDefinition(DeleteDeferred, new { index.Name }, tx, cancellationToken: ct));
            }, ct);
            logger.LogInformation("Built deferred index {Index}", index.Name);
        }
        return deferred.Count;
    }

    private static string Identifier(string name) =>
        PlainIdentifier().IsMatch(name) ? name : throw new InvalidOperationException($"Unexpected index name '{name}'.");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
