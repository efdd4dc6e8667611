using Dapper;
using LianApi.Data;
using LianApi.Shared;

namespace LianApi.Notifications;

/// <summary>An outbox row claimed for sending: the template it goes out with, and the recipient's openid.</summary>
public sealed record ClaimedNotification(long Id, string Event, long UserId, string OpenId, string? TrackingNo, string Facts, int Attempts,
    DateTime CreatedAt, string TemplateId);

/// <summary>How one attempt ended.</summary>
public enum SendOutcome { Sent, Retry, Failed, Skipped }

/// <summary>
/// The one owner of the Notifications outbox. Rows are claimed one at a time by a guarded update (a lease with expiry),
/// so two instances never send the same row; claiming also reserves the recipient's consent credit for it, which the
/// row keeps until it is delivered (spent) or given up (refunded).
/// </summary>
public sealed class NotificationStore(Database db)
{
    /// <summary>How the outbox lists a row whose Channel is null: a WeChat subscribe message.</summary>
    public const string SubscribeChannel = "subscribe";

    private const string SelectDue = """
        SELECT Id FROM Notifications
        WHERE Status = @Pending AND DueAt <= @Now AND (LeaseUntil IS NULL OR LeaseUntil < @Now) AND Channel IS NULL
        ORDER BY DueAt, Id
        """;

    public Task<List<long>> ListDueAsync(DateTime now, int limit, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.QueryAsync<long>(new CommandDefinition(SelectDue + "\n" + db.Dialect.LimitRows,
            new { Pending = NotificationStatus.Pending, Now = now, Limit = limit }, cancellationToken: ct))).AsList(), ct);

    private const string TakeLease = """
        UPDATE Notifications SET LeaseOwner = @Owner, LeaseUntil = @Until
        WHERE Id = @Id AND Status = @Pending AND DueAt <= @Now AND (LeaseUntil IS NULL OR LeaseUntil < @Now) AND Channel IS NULL
        """;

    private const string SelectClaimed = """
        SELECT n.Id, n.Event, n.UserId, u.OpenId, n.TrackingNo, n.Facts, n.Attempts, n.CreatedAt, n.CreditReserved, n.TemplateId
        FROM Notifications n JOIN Users u ON u.Id = n.UserId
        WHERE n.Id = @Id
        """;

    private sealed record ClaimRow
    {
        public long Id { get; init; }
        public string Event { get; init; } = "";
        public long UserId { get; init; }
        public string OpenId { get; init; } = "";
        public string? TrackingNo { get; init; }
        public string Facts { get; init; } = "";
        public int Attempts { get; init; }
        public DateTime CreatedAt { get; init; }
        public bool CreditReserved { get; init; }
        public string? TemplateId { get; init; }
    }

    private const string ReserveFor = """
        UPDATE Notifications SET CreditReserved = @True, TemplateId = @TemplateId WHERE Id = @Id
        """;

    private const string Skip = """
        UPDATE Notifications SET Status = @Skipped, LastError = @Reason, TemplateId = @TemplateId, CreditReserved = @False,
            FinishedAt = @Now, LeaseOwner = NULL, LeaseUntil = NULL
        WHERE Id = @Id
        """;

    /// <summary>
    /// Claims one due row until <paramref name="until"/> and reserves a consent credit for it, in one transaction. Null
    /// when another instance claimed it first; a row without a template or without a credit is skipped (and null).
    /// </summary>
    public Task<ClaimedNotification?> ClaimAsync(long id, string owner, DateTime now, DateTime until, Func<string, string?> templateFor,
        CancellationToken ct) =>
        db.WriteAsync<ClaimedNotification?>(async (c, tx) =>
        {
            var taken = await c.ExecuteScalarAsync<int>(new CommandDefinition(TakeLease + ";\n" + db.Dialect.SelectRowsAffected, new
            {
                Id = id, Owner = owner, Until = until, Now = now, Pending = NotificationStatus.Pending,
            }, tx, cancellationToken: ct));
            if (taken != 1)
            {
                return null;
            }
            var row = await c.QuerySingleAsync<ClaimRow>(new CommandDefinition(SelectClaimed, new { Id = id }, tx, cancellationToken: ct));
            var templateId = templateFor(row.Event);
            if (row.CreditReserved && row.TemplateId != templateId)
            {
                // The district changed the event's template since the credit was reserved: that credit belongs to the old one.
                await c.ExecuteAsync(new CommandDefinition(ConsentStore.RefundCredit, new { row.UserId, row.TemplateId, Now = now }, tx, cancellationToken: ct));
                row = row with { CreditReserved = false };
            }
            string? skipped = null;
            if (templateId is null)
            {
                skipped = "no_template";
            }
            else if (!row.CreditReserved)
            {
                var spent = await c.ExecuteScalarAsync<int>(new CommandDefinition(ConsentStore.SpendCredit + ";\n" + db.Dialect.SelectRowsAffected,
                    new { row.UserId, TemplateId = templateId, Now = now }, tx, cancellationToken: ct));
                if (spent == 1)
                {
                    await c.ExecuteAsync(new CommandDefinition(ReserveFor, new { Id = id, TemplateId = templateId, True = true }, tx, cancellationToken: ct));
                }
                else
                {
                    skipped = "no_consent";
                }
            }
            if (skipped is not null)
            {
                await c.ExecuteAsync(new CommandDefinition(Skip, new
                {
                    Id = id, Skipped = NotificationStatus.Skipped, Reason = skipped, TemplateId = templateId, False = false, Now = now,
                }, tx, cancellationToken: ct));
                return null;
            }
            return new ClaimedNotification(row.Id, row.Event, row.UserId, row.OpenId, row.TrackingNo, row.Facts, row.Attempts, row.CreatedAt, templateId!);
        }, ct);

    private const string MarkSent = """
        UPDATE Notifications SET Status = @Sent, Attempts = Attempts + 1, ErrCode = 0, LastError = NULL, Data = @Data, CreditReserved = @False,
            FinishedAt = @Now, LeaseOwner = NULL, LeaseUntil = NULL
        WHERE Id = @Id AND LeaseOwner = @Owner
        """;

    /// <summary>Delivered: the reserved credit is spent.</summary>
    public Task<bool> MarkSentAsync(ClaimedNotification n, string owner, string data, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) => await c.ExecuteScalarAsync<int>(new CommandDefinition(MarkSent + ";\n" + db.Dialect.SelectRowsAffected, new
        {
            n.Id, Owner = owner, Sent = NotificationStatus.Sent, Data = data, False = false, Now = now,
        }, tx, cancellationToken: ct)) == 1, ct);

    private const string MarkRetry = """
        UPDATE Notifications SET Attempts = Attempts + 1, ErrCode = @ErrCode, LastError = @LastError, DueAt = @DueAt,
            LeaseOwner = NULL, LeaseUntil = NULL
        WHERE Id = @Id AND LeaseOwner = @Owner
        """;

    /// <summary>A transient failure: due again at <paramref name="dueAt"/>, the credit stays reserved for it.</summary>
    public Task MarkRetryAsync(ClaimedNotification n, string owner, int? errCode, string error, DateTime dueAt, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(MarkRetry, new
        {
            n.Id, Owner = owner, ErrCode = errCode, LastError = Short(error), DueAt = dueAt,
        }, tx, cancellationToken: ct)), ct);

    private const string MarkFailed = """
        UPDATE Notifications SET Status = @Failed, Attempts = Attempts + 1, ErrCode = @ErrCode, LastError = @LastError, CreditReserved = @False,
            Data = @Data, FinishedAt = @Now, LeaseOwner = NULL, LeaseUntil = NULL
        WHERE Id = @Id AND LeaseOwner = @Owner
        """;

    /// <summary>
    /// Failed for good, never retried. WeChat did not use the user's permission, so the credit goes back, except for
    /// 43101 (the user has no permission left, whatever we counted): their credits for the template become zero.
    /// </summary>
    public Task MarkFailedAsync(ClaimedNotification n, string owner, int? errCode, string error, string? data, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var failed = await c.ExecuteScalarAsync<int>(new CommandDefinition(MarkFailed + ";\n" + db.Dialect.SelectRowsAffected, new
            {
                n.Id, Owner = owner, Failed = NotificationStatus.Failed, ErrCode = errCode, LastError = Short(error), False = false, Data = data, Now = now,
            }, tx, cancellationToken: ct));
            if (failed == 1)
            {
                await c.ExecuteAsync(new CommandDefinition(errCode == WechatSendErrors.NoPermission ? ConsentStore.ZeroCredits : ConsentStore.RefundCredit,
                    new { n.UserId, n.TemplateId, Now = now }, tx, cancellationToken: ct));
            }
            return failed;
        }, ct);

    private const string SelectBacklog = """
        SELECT COUNT(*) AS Pending, MIN(CreatedAt) AS Oldest FROM Notifications WHERE Status = @Pending AND Channel IS NULL;
        SELECT COUNT(*) FROM Notifications WHERE Status = @Failed AND Channel IS NULL;
        """;

    /// <summary>How many subscribe messages wait, how old the oldest is, and how many failed for good (WeCom's: WecomStore).</summary>
    public Task<NotificationBacklog> BacklogAsync(DateTime now, CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(SelectBacklog,
                new { Pending = NotificationStatus.Pending, Failed = NotificationStatus.Failed }, cancellationToken: ct));
            var pending = await grid.ReadSingleAsync<BacklogRow>();
            var failed = await grid.ReadSingleAsync<int>();
            var age = pending.Oldest is { } oldest && oldest < now ? (long)(now - oldest).TotalSeconds : 0;
            return new NotificationBacklog(pending.Pending, age, failed);
        }, ct);

    private const string SelectPage = """
        SELECT Id, Event, Channel, Status, TrackingNo, TemplateId, Attempts, ErrCode, LastError, CreatedAt, DueAt, FinishedAt
        FROM Notifications
        WHERE (@Status IS NULL OR Status = @Status)
        ORDER BY Id DESC
        """;

    private sealed record ItemRow
    {
        public long Id { get; init; }
        public string Event { get; init; } = "";
        public string? Channel { get; init; }
        public string Status { get; init; } = "";
        public string? TrackingNo { get; init; }
        public string? TemplateId { get; init; }
        public int Attempts { get; init; }
        public int? ErrCode { get; init; }
        public string? LastError { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime DueAt { get; init; }
        public DateTime? FinishedAt { get; init; }
    }

    private sealed record BacklogRow
    {
        public int Pending { get; init; }
        public DateTime? Oldest { get; init; }
    }

    /// <summary>Newest first, optionally one status only; both channels.</summary>
    public async Task<IReadOnlyList<NotificationItem>> ListAsync(string? status, int limit, CancellationToken ct) =>
        (await db.ReadAsync(async c => await c.QueryAsync<ItemRow>(new CommandDefinition(SelectPage + "\n" + db.Dialect.LimitRows,
            new { Status = status, Limit = limit }, cancellationToken: ct)), ct))
        .Select(r => new NotificationItem(r.Id, r.Event, r.Channel ?? SubscribeChannel, r.Status, r.TrackingNo, r.TemplateId, r.Attempts, r.ErrCode, r.LastError,
            r.CreatedAt.AsChinaTime(), r.DueAt.AsChinaTime(), r.FinishedAt?.AsChinaTime()))
        .ToList();

    private static string Short(string error) => error.Length <= 400 ? error : error[..400];
}
