using System.ComponentModel;
using Dapper;
using LianApi.Data;

namespace LianApi.Notifications;

/// <summary>Where an accept was heard: the client's POST or WeChat's popup push (usually both, for the same tap).</summary>
public enum ConsentSource { Client, Push }

public sealed record ConsentCredit(
    [property: Description("The template id")] string TemplateId,
    [property: Description("Messages of this template we may still send the caller (one per accept)")] int Credits);

/// <summary>
/// One-time subscriptions counted per (user, template): each accept is a credit for one message. The same tap usually
/// reaches us twice (the client's POST and WeChat's subscribe_msg_popup_event): within <see cref="PairingWindow"/>, an
/// accept from one source confirms an earlier one from the other source instead of adding a credit. Over-counting is
/// harmless (the extra send gets 43101, which zeroes the credits); under-counting would lose a message.
/// </summary>
public sealed class ConsentStore(Database db)
{
    public static readonly TimeSpan PairingWindow = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Credits of one template one user may hold: a resident rarely has more reports open at once, and staff ask again
    /// after each few inbox messages (afterBinding). Above it an accept changes nothing, so taps cannot pile up credits.
    /// </summary>
    public const int MaxCredits = 5;

    private const string InsertMissing = """
        INSERT INTO SubscriptionCredits (UserId, TemplateId, Credits, WindowStart, ClientGrants, PushGrants, UpdatedAt)
        SELECT @UserId, @TemplateId, 0, @Now, 0, 0, @Now
        WHERE NOT EXISTS (SELECT 1 FROM SubscriptionCredits WHERE UserId = @UserId AND TemplateId = @TemplateId);
        """;

    // Whether this accept adds a credit: a new window starts over, and within a window an accept adds one only when its
    // source has now heard more accepts than the other.
    private const string Added = """
        CASE
                WHEN WindowStart < @WindowFloor THEN 1
                WHEN @FromClient = 1 AND ClientGrants + 1 > PushGrants THEN 1
                WHEN @FromClient = 0 AND PushGrants + 1 > ClientGrants THEN 1
                ELSE 0 END
        """;

    // Every right-hand side reads the row as it was before this statement (both providers). Credits stop at @MaxCredits
    // (no LEAST before SQL Server 2022, so the increment is written twice).
    private const string Grant = $$"""
        UPDATE SubscriptionCredits SET
            Credits = CASE WHEN Credits + {{Added}} > @MaxCredits THEN @MaxCredits ELSE Credits + {{Added}} END,
            ClientGrants = CASE WHEN WindowStart < @WindowFloor THEN 0 ELSE ClientGrants END + @FromClient,
            PushGrants = CASE WHEN WindowStart < @WindowFloor THEN 0 ELSE PushGrants END + 1 - @FromClient,
            WindowStart = CASE WHEN WindowStart < @WindowFloor THEN @Now ELSE WindowStart END,
            UpdatedAt = @Now
        WHERE UserId = @UserId AND TemplateId = @TemplateId
        """;

    // The outbox spends, refunds and zeroes credits inside its own transactions, with these statements.
    internal const string ZeroCredits = """
        UPDATE SubscriptionCredits SET Credits = 0, UpdatedAt = @Now WHERE UserId = @UserId AND TemplateId = @TemplateId
        """;

    internal const string SpendCredit = """
        UPDATE SubscriptionCredits SET Credits = Credits - 1, UpdatedAt = @Now
        WHERE UserId = @UserId AND TemplateId = @TemplateId AND Credits > 0
        """;

    internal const string RefundCredit = """
        UPDATE SubscriptionCredits SET Credits = Credits + 1, UpdatedAt = @Now WHERE UserId = @UserId AND TemplateId = @TemplateId
        """;

    private const string InsertPush = """
        INSERT INTO SubscriptionPushes (PushKey, AppliedAt)
        SELECT @PushKey, @Now
        WHERE NOT EXISTS (SELECT 1 FROM SubscriptionPushes WHERE PushKey = @PushKey);
        """;

    /// <summary>
    /// Counts accepted templates and zeroes refused ones (reject, ban: the user turned the template off). A push is
    /// applied once per <paramref name="pushKey"/>, however often it is handed to us.
    /// </summary>
    public async Task ApplyAsync(long userId, IReadOnlyCollection<string> accepted, IReadOnlyCollection<string> refused, ConsentSource source,
        DateTime now, string? pushKey, CancellationToken ct)
    {
        try
        {
            await WriteAsync(userId, accepted, refused, source, now, pushKey, ct);
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            // Two first accepts of the same template at once (two instances): the other one created the row.
            await WriteAsync(userId, accepted, refused, source, now, pushKey, ct);
        }
    }

    private Task WriteAsync(long userId, IReadOnlyCollection<string> accepted, IReadOnlyCollection<string> refused, ConsentSource source,
        DateTime now, string? pushKey, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            if (pushKey is not null && await c.ExecuteScalarAsync<int>(new CommandDefinition(InsertPush + db.Dialect.SelectRowsAffected,
                    new { PushKey = pushKey, Now = now }, tx, cancellationToken: ct)) == 0)
            {
                return 0;
            }
            foreach (var templateId in accepted)
            {
                await c.ExecuteAsync(new CommandDefinition(InsertMissing + Grant, new
                {
                    UserId = userId, TemplateId = templateId, Now = now, WindowFloor = now - PairingWindow,
                    FromClient = source == ConsentSource.Client ? 1 : 0, MaxCredits,
                }, tx, cancellationToken: ct));
            }
            foreach (var templateId in refused)
            {
                await c.ExecuteAsync(new CommandDefinition(ZeroCredits, new { UserId = userId, TemplateId = templateId, Now = now }, tx, cancellationToken: ct));
            }
            return 0;
        }, ct);

    private const string SelectCredits = "SELECT TemplateId, Credits FROM SubscriptionCredits WHERE UserId = @UserId ORDER BY TemplateId";

    private sealed record CreditRow
    {
        public string TemplateId { get; init; } = "";
        public int Credits { get; init; }
    }

    public async Task<IReadOnlyList<ConsentCredit>> CreditsAsync(long userId, CancellationToken ct) =>
        (await db.ReadAsync(async c => await c.QueryAsync<CreditRow>(new CommandDefinition(SelectCredits, new { UserId = userId }, cancellationToken: ct)), ct))
        .Select(r => new ConsentCredit(r.TemplateId, r.Credits)).ToList();

    private const string SelectUser = "SELECT Id FROM Users WHERE AppId = @AppId AND OpenId = @OpenId";

    /// <summary>The user behind an openid WeChat pushed; null for one who never logged in (nothing to send them anyway).</summary>
    public Task<long?> FindUserAsync(string appId, string openId, CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long?>(new CommandDefinition(SelectUser, new { AppId = appId, OpenId = openId }, cancellationToken: ct)), ct);
}
