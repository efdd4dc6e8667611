using Dapper;
using LianApi.Data;
using LianApi.Staff;

namespace LianApi.StaffConsole;

public sealed record LoginTicketRow
{
    public long Id { get; init; }
    public string BrowserHash { get; init; } = "";
    public string UserAgent { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? ApprovedAt { get; init; }
    public long? ApprovedStaffId { get; init; }
    public long? ApprovedUserId { get; init; }
    public DateTime? RedeemedAt { get; init; }
}

/// <summary>What became of an approval: done, or why not.</summary>
public enum TicketApproval { Approved, Unknown, Expired, Used }

/// <summary>A new ticket: the value for the code's scene and the secret for the cookie of the browser that shows it.</summary>
public sealed record NewLoginTicket(string Ticket, string BrowserSecret, DateTime ExpiresAt);

/// <summary>
/// Scan-to-log-in tickets (扫码登录). A ticket is shown once as a code, works for two minutes, is approved once by a staff
/// member's phone and redeemed once, by the browser that showed it (its cookie's hash is kept with the ticket). Only
/// hashes are stored: a copy of the table opens no session.
/// </summary>
public sealed class LoginTicketStore(Database db, ConsoleSessionStore sessions)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    // Kept a day after expiry (what a phone showed can still be told "expired", not "unknown"), then deleted.
    private static readonly TimeSpan KeptAfterExpiry = TimeSpan.FromDays(1);

    private const string InsertTicket = """
        INSERT INTO ConsoleLoginTickets (TicketHash, BrowserHash, UserAgent, CreatedAt, ExpiresAt)
        VALUES (@TicketHash, @BrowserHash, @UserAgent, @CreatedAt, @ExpiresAt)
        """;

    private const string DeleteOldTickets = "DELETE FROM ConsoleLoginTickets WHERE ExpiresAt < @Before";

    public async Task<NewLoginTicket> CreateAsync(string userAgent, DateTime now, CancellationToken ct)
    {
        var ticket = new NewLoginTicket(ConsoleSecrets.NewTicket(), ConsoleSecrets.NewToken(), now + Lifetime);
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(DeleteOldTickets, new { Before = now - KeptAfterExpiry }, tx, cancellationToken: ct));
            return await c.ExecuteAsync(new CommandDefinition(InsertTicket, new
            {
                TicketHash = ConsoleSecrets.Hash(ticket.Ticket), BrowserHash = ConsoleSecrets.Hash(ticket.BrowserSecret),
                UserAgent = Truncate(userAgent, 300), CreatedAt = now, ticket.ExpiresAt,
            }, tx, cancellationToken: ct));
        }, ct);
        return ticket;
    }

    private const string SelectTicket = """
        SELECT Id, BrowserHash, UserAgent, CreatedAt, ExpiresAt, ApprovedAt, ApprovedStaffId, ApprovedUserId, RedeemedAt
        FROM ConsoleLoginTickets WHERE TicketHash = @TicketHash
        """;

    public Task<LoginTicketRow?> FindAsync(string ticket, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<LoginTicketRow>(new CommandDefinition(SelectTicket,
            new { TicketHash = ConsoleSecrets.Hash(ticket) }, cancellationToken: ct)), ct);

    private const string Approve = """
        UPDATE ConsoleLoginTickets SET ApprovedAt = @Now, ApprovedStaffId = @StaffId, ApprovedUserId = @UserId
        WHERE TicketHash = @TicketHash AND ApprovedAt IS NULL AND ExpiresAt > @Now
        """;

    /// <summary>The staff member's phone approves the ticket: once, before it expires.</summary>
    public async Task<TicketApproval> ApproveAsync(string ticket, StaffMember staff, DateTime now, CancellationToken ct)
    {
        var hash = ConsoleSecrets.Hash(ticket);
        var approved = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(Approve + ";\n" + db.Dialect.SelectRowsAffected,
            new { TicketHash = hash, Now = now, StaffId = staff.Id, staff.UserId }, tx, cancellationToken: ct)), ct);
        if (approved == 1)
        {
            return TicketApproval.Approved;
        }
        return await FindAsync(ticket, ct) switch
        {
            null => TicketApproval.Unknown,
            { ApprovedAt: not null } => TicketApproval.Used,
            _ => TicketApproval.Expired,
        };
    }

    private const string Redeem = """
        UPDATE ConsoleLoginTickets SET RedeemedAt = @Now
        WHERE Id = @Id AND BrowserHash = @BrowserHash AND ApprovedAt IS NOT NULL AND RedeemedAt IS NULL AND ExpiresAt > @Now
        """;

    /// <summary>
    /// The waiting browser asks: once the ticket is approved, and only for the browser whose secret it was made with, it
    /// is spent and a session made in the same transaction (a second ask, or another browser, gets nothing).
    /// </summary>
    public async Task<(LoginTicketState State, string? SessionToken)> RedeemAsync(string ticket, string? browserSecret, string userAgent, DateTime now,
        CancellationToken ct)
    {
        if (await FindAsync(ticket, ct) is not { } row || browserSecret is null || row.BrowserHash != ConsoleSecrets.Hash(browserSecret))
        {
            return (LoginTicketState.Unknown, null);
        }
        if (row.RedeemedAt is not null)
        {
            return (LoginTicketState.Used, null);
        }
        if (row.ExpiresAt <= now)
        {
            return (LoginTicketState.Expired, null);
        }
        if (row.ApprovedAt is null)
        {
            return (LoginTicketState.Waiting, null);
        }
        var token = await db.WriteAsync(async (c, tx) =>
        {
            var spent = await c.ExecuteScalarAsync<int>(new CommandDefinition(Redeem + ";\n" + db.Dialect.SelectRowsAffected,
                new { row.Id, row.BrowserHash, Now = now }, tx, cancellationToken: ct));
            return spent == 1 ? await sessions.InsertAsync(c, tx, row.ApprovedStaffId!.Value, row.ApprovedUserId!.Value, userAgent, now, ct) : null;
        }, ct);
        return token is null ? (LoginTicketState.Used, null) : (LoginTicketState.Approved, token);
    }

    internal static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

public enum LoginTicketState { Waiting, Approved, Expired, Used, Unknown }
