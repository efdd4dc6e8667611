using System.Data.Common;
using Dapper;
using LianApi.Data;

namespace LianApi.StaffConsole;

public sealed record ConsoleSessionRow
{
    public long Id { get; init; }
    public long StaffId { get; init; }
    public long UserId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime LastSeenAt { get; init; }
    public DateTime ExpiresAt { get; init; }
}

/// <summary>
/// Browser sessions of the console, in the database so that every instance knows them: the cookie holds a random value,
/// the table its hash. A session ends after 30 minutes without a request or 10 hours after the login, whichever is first.
/// </summary>
public sealed class ConsoleSessionStore(Database db)
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(10);

    // Every request proves the session alive, but writing that down once a minute is enough for a 30-minute idle limit
    // (the wallboard asks every few seconds, and a write each time would be the busiest statement of the app).
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private const string InsertSession = """
        INSERT INTO ConsoleSessions (TokenHash, StaffId, UserId, UserAgent, CreatedAt, LastSeenAt, ExpiresAt)
        VALUES (@TokenHash, @StaffId, @UserId, @UserAgent, @Now, @Now, @ExpiresAt)
        """;

    private const string DeleteEnded = "DELETE FROM ConsoleSessions WHERE ExpiresAt < @Now OR LastSeenAt < @IdleSince";

    /// <summary>A new session inside the caller's unit of work (a ticket is spent in the same transaction); returns the cookie's value.</summary>
    internal async Task<string> InsertAsync(DbConnection c, DbTransaction tx, long staffId, long userId, string userAgent, DateTime now, CancellationToken ct)
    {
        var token = ConsoleSecrets.NewToken();
        await c.ExecuteAsync(new CommandDefinition(DeleteEnded, new { Now = now, IdleSince = now - IdleTimeout }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(InsertSession, new
        {
            TokenHash = ConsoleSecrets.Hash(token), StaffId = staffId, UserId = userId, UserAgent = LoginTicketStore.Truncate(userAgent, 300),
            Now = now, ExpiresAt = now + MaxLifetime,
        }, tx, cancellationToken: ct));
        return token;
    }

    /// <summary>A session without a ticket: the development login (Emulator only).</summary>
    public Task<string> CreateAsync(long staffId, long userId, string userAgent, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => InsertAsync(c, tx, staffId, userId, userAgent, now, ct), ct);

    private const string SelectLive = """
        SELECT Id, StaffId, UserId, CreatedAt, LastSeenAt, ExpiresAt FROM ConsoleSessions
        WHERE TokenHash = @TokenHash AND ExpiresAt > @Now AND LastSeenAt > @IdleSince
        """;

    public Task<ConsoleSessionRow?> FindLiveAsync(string token, DateTime now, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<ConsoleSessionRow>(new CommandDefinition(SelectLive,
            new { TokenHash = ConsoleSecrets.Hash(token), Now = now, IdleSince = now - IdleTimeout }, cancellationToken: ct)), ct);

    private const string Touch = "UPDATE ConsoleSessions SET LastSeenAt = @Now WHERE Id = @Id";

    public Task TouchAsync(long id, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(Touch, new { Id = id, Now = now }, tx, cancellationToken: ct)), ct);

    private const string DeleteByToken = "DELETE FROM ConsoleSessions WHERE TokenHash = @TokenHash";

    /// <summary>Logout: the row goes, so the cookie opens nothing on any instance even if the browser keeps it.</summary>
    public Task EndAsync(string token, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(DeleteByToken, new { TokenHash = ConsoleSecrets.Hash(token) }, tx, cancellationToken: ct)), ct);

    private const string DeleteById = "DELETE FROM ConsoleSessions WHERE Id = @Id";

    public Task EndAsync(long id, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(DeleteById, new { Id = id }, tx, cancellationToken: ct)), ct);
}
