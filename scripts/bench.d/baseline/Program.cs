// Baseline for scripts/bench: one durable INSERT and one point read by primary key, nothing else.
// It copies LianApi's SQLite handling (src/LianApi/Data/LianDataSources.cs and Database.cs) so that the ratio
// app/baseline measures what the app adds on top of the database, not the database itself.
using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

var builder = WebApplication.CreateBuilder(args);
var dataSource = new BaselineDataSource(builder.Configuration.GetConnectionString("Baseline")
    ?? throw new InvalidOperationException("Set ConnectionStrings__Baseline."));
var app = builder.Build();

await using (var connection = await dataSource.OpenAsync())
{
    await connection.ExecuteAsync("""
        CREATE TABLE IF NOT EXISTS Items (Id INTEGER PRIMARY KEY, Description TEXT NOT NULL, CreatedAt TEXT NOT NULL);
        INSERT OR IGNORE INTO Items (Id, Description, CreatedAt) VALUES (1, 'seed', '2026-01-01T00:00:00Z');
        """);
}

// Like Database.WriteAsync on SQLite: one in-app writer, a transaction per write (BEGIN IMMEDIATE), commit = fsync.
var writeGate = new SemaphoreSlim(1, 1);

app.MapPost("/items", async (NewItem item, CancellationToken ct) =>
{
    if (!await writeGate.WaitAsync(TimeSpan.FromSeconds(10), ct))
    {
        return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }
    try
    {
        await using var connection = await dataSource.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO Items (Description, CreatedAt) VALUES (@Description, @CreatedAt) RETURNING Id;",
            new { item.Description, CreatedAt = DateTime.UtcNow }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return Results.Created($"/items/{id}", new Item(id, item.Description));
    }
    finally
    {
        writeGate.Release();
    }
});

app.MapGet("/items/{id:long}", async (long id, CancellationToken ct) =>
{
    await using var connection = await dataSource.OpenAsync(ct);
    var item = await connection.QuerySingleOrDefaultAsync<Item>(new CommandDefinition(
        "SELECT Id, Description FROM Items WHERE Id = @Id", new { Id = id }, cancellationToken: ct));
    return item is null ? Results.NotFound() : Results.Ok(item);
});

await app.RunAsync();

internal sealed record NewItem(string Description);

internal sealed record Item(long Id, string Description);

/// <summary>Same connection string normalisation and pragmas (once per physical connection) as LianApi's SqliteDataSource.</summary>
internal sealed class BaselineDataSource(string connectionString)
{
    private const string ConnectionPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA foreign_keys = ON;
        PRAGMA busy_timeout = 5000;
        """;

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> configured = new();

    private readonly string connectionString = new SqliteConnectionStringBuilder(connectionString)
    {
        ForeignKeys = true,
        DefaultTimeout = 10,
        Pooling = true,
    }.ToString();

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        // Like the app: the settings are per physical connection, so each pooled handle gets them once.
        if (connection.Handle is { } handle && !configured.TryGetValue(handle, out _))
        {
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            command.ExecuteNonQuery();
            configured.AddOrUpdate(handle, handle);
        }
        return connection;
    }
}
