using Dapper;
using LianApi.Data;
using LianApi.Notifications;
using LianApi.Shared;
using LianApi.Staff;

namespace LianApi.Notifications.Wecom;

/// <summary>A WeCom outbox row claimed for sending, with the WeCom user ids it goes to (resolved now, from the current mapping).</summary>
public sealed record ClaimedWecomMessage(long Id, string Event, string? TrackingNo, string Facts, int Attempts, DateTime CreatedAt,
    string UnitLevel, long? UnitId, IReadOnlyList<string> Recipients);

/// <summary>
/// The WeCom rows of the Notifications outbox (Channel = wecom): one row is one message to the mapped staff of one unit.
/// Claimed by the same guarded update with a lease as subscribe messages, so two instances never send the same row.
/// </summary>
public sealed class WecomStore(Database db)
{
    public const string Channel = "wecom";

    /// <summary>Why a row was not sent: no active, mapped staff in the unit when it was due.</summary>
    public const string NoRecipient = "no_recipient";

    /// <summary>LastError's prefix for users WeCom did not deliver to (81013, or errcode 0 with invaliduser): an admin must fix the mapping.</summary>
    public const string InvalidUser = "invalid_user";

    /// <summary>LastError of a message waiting for the end of quiet hours.</summary>
    public const string HeldQuietHours = "held: quiet hours";

    private const string SelectDue = """
        SELECT Id FROM Notifications
        WHERE Status = @Pending AND DueAt <= @Now AND (LeaseUntil IS NULL OR LeaseUntil < @Now) AND Channel = @Channel
        ORDER BY DueAt, Id
        """;

    public Task<List<long>> ListDueAsync(DateTime now, int limit, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.QueryAsync<long>(new CommandDefinition(SelectDue + "\n" + db.Dialect.LimitRows,
            new { Pending = NotificationStatus.Pending, Now = now, Limit = limit, Channel }, cancellationToken: ct))).AsList(), ct);

    private const string TakeLease = """
        UPDATE Notifications SET LeaseOwner = @Owner, LeaseUntil = @Until
        WHERE Id = @Id AND Status = @Pending AND DueAt <= @Now AND (LeaseUntil IS NULL OR LeaseUntil < @Now) AND Channel = @Channel
        """;

    private const string SelectClaimed = """
        SELECT Id, Event, TrackingNo, Facts, Attempts, CreatedAt, UnitLevel, UnitId FROM Notifications WHERE Id = @Id
        """;

    // The unit's active staff in the roles that handle cases, with a WeCom user id; the one who acted is not told about their own action.
    private const string SelectRecipients = """
        SELECT s.WecomUserId FROM Staff s
        WHERE s.IsActive = @True AND s.WecomUserId IS NOT NULL AND s.Role <> @Volunteer AND s.UnitLevel = @Level
          AND ((@UnitId IS NULL AND s.UnitId IS NULL) OR s.UnitId = @UnitId)
          AND (@ActorUserId IS NULL OR s.UserId IS NULL OR s.UserId <> @ActorUserId)
        ORDER BY s.Id
        """;

    private sealed record ClaimRow
    {
        public long Id { get; init; }
        public string Event { get; init; } = "";
        public string? TrackingNo { get; init; }
        public string Facts { get; init; } = "";
        public int Attempts { get; init; }
        public DateTime CreatedAt { get; init; }
        public string UnitLevel { get; init; } = "";
        public long? UnitId { get; init; }
    }

    /// <summary>Claims one due row until <paramref name="until"/>; null when another instance claimed it first.</summary>
    public Task<ClaimedWecomMessage?> ClaimAsync(long id, string owner, DateTime now, DateTime until, CancellationToken ct) =>
        db.WriteAsync<ClaimedWecomMessage?>(async (c, tx) =>
        {
            var taken = await c.ExecuteScalarAsync<int>(new CommandDefinition(TakeLease + ";\n" + db.Dialect.SelectRowsAffected, new
            {
                Id = id, Owner = owner, Until = until, Now = now, Pending = NotificationStatus.Pending, Channel,
            }, tx, cancellationToken: ct));
            if (taken != 1)
            {
                return null;
            }
            var row = await c.QuerySingleAsync<ClaimRow>(new CommandDefinition(SelectClaimed, new { Id = id }, tx, cancellationToken: ct));
            var facts = WecomFacts.Read(row.Facts);
            // A message to one configured person (a report's recipient, who may be a leader with no staff account) goes to them alone.
            var recipients = facts.TryGetValue(WecomFacts.To, out var to) && to.Length > 0 ? [to] : (await c.QueryAsync<string>(new CommandDefinition(SelectRecipients, new
            {
                True = true, Volunteer = StaffRoles.Volunteer, Level = row.UnitLevel, row.UnitId,
                ActorUserId = facts.TryGetValue(WecomFacts.ActorUserId, out var actor) && long.TryParse(actor, out var a) ? a : (long?)null,
            }, tx, cancellationToken: ct))).AsList();
            return new ClaimedWecomMessage(row.Id, row.Event, row.TrackingNo, row.Facts, row.Attempts, row.CreatedAt, row.UnitLevel, row.UnitId, recipients);
        }, ct);

    private const string MarkSent = """
        UPDATE Notifications SET Status = @Sent, Attempts = Attempts + 1, ErrCode = 0, LastError = @LastError, Data = @Data,
            FinishedAt = @Now, LeaseOwner = NULL, LeaseUntil = NULL
        WHERE Id = @Id AND LeaseOwner = @Owner
        """;

    /// <summary>Delivered (to all but <paramref name="lastError"/>'s invalid users, when WeCom listed any).</summary>
    public Task<bool> MarkSentAsync(long id, string owner, string data, string? lastError, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) => await c.ExecuteScalarAsync<int>(new CommandDefinition(MarkSent + ";\n" + db.Dialect.SelectRowsAffected, new
        {
            Id = id, Owner = owner, Sent = NotificationStatus.Sent, Data = data, LastError = lastError is null ? null : Short(lastError), Now = now,
        }, tx, cancellationToken: ct)) == 1, ct);

    private const string MarkRetry = """
        UPDATE Notifications SET Attempts = Attempts + @Attempt, ErrCode = @ErrCode, LastError = @LastError, DueAt = @DueAt,
            LeaseOwner = NULL, LeaseUntil = NULL
        WHERE Id = @Id AND LeaseOwner = @Owner
        """;

    /// <summary>Due again at <paramref name="dueAt"/>: after a transient failure (an attempt), or held for quiet hours (no attempt).</summary>
    public Task MarkRetryAsync(long id, string owner, bool attempted, int? errCode, string error, DateTime dueAt, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(MarkRetry, new
        {
            Id = id, Owner = owner, Attempt = attempted ? 1 : 0, ErrCode = errCode, LastError = Short(error), DueAt = dueAt,
        }, tx, cancellationToken: ct)), ct);

    private const string Release = """
        UPDATE Notifications SET LeaseOwner = NULL, LeaseUntil = NULL WHERE Id = @Id AND LeaseOwner = @Owner
        """;

    /// <summary>Gives a claimed row back unsent, due as it was: for the next run on any instance.</summary>
    public Task ReleaseAsync(long id, string owner, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(Release, new { Id = id, Owner = owner }, tx, cancellationToken: ct)), ct);

    private const string MarkFinished = """
        UPDATE Notifications SET Status = @Status, Attempts = Attempts + @Attempt, ErrCode = @ErrCode, LastError = @LastError, Data = @Data,
            FinishedAt = @Now, LeaseOwner = NULL, LeaseUntil = NULL
        WHERE Id = @Id AND LeaseOwner = @Owner
        """;

    /// <summary>Failed for good (an attempt WeCom refused) or skipped (nobody to send to; no attempt).</summary>
    public Task MarkFinishedAsync(long id, string owner, string status, int? errCode, string error, string? data, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(MarkFinished, new
        {
            Id = id, Owner = owner, Status = status, Attempt = status == NotificationStatus.Failed ? 1 : 0, ErrCode = errCode, LastError = Short(error),
            Data = data, Now = now,
        }, tx, cancellationToken: ct)), ct);

    // Written by a sweep, not a transition: the key makes it once however many runs or instances write it (the unique
    // index settles a race the NOT EXISTS cannot see).
    private const string InsertOnce = """
        INSERT INTO Notifications (Event, UserId, ComplaintId, TrackingNo, Facts, Status, Attempts, CreatedAt, DueAt, CreditReserved, Channel, UnitLevel, UnitId, DedupKey)
        SELECT @Event, NULL, @ComplaintId, @TrackingNo, @Facts, @Pending, 0, @Now, @Now, @False, @Channel, @UnitLevel, @UnitId, @DedupKey
        WHERE NOT EXISTS (SELECT 1 FROM Notifications WHERE DedupKey = @DedupKey)
        """;

    /// <summary>Writes a message keyed by <see cref="KeyedMessage.DedupKey"/> unless one exists; true when this call wrote it.</summary>
    public async Task<bool> InsertOnceAsync(KeyedMessage m, DateTime now, CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync(async (c, tx) => await c.ExecuteScalarAsync<int>(new CommandDefinition(InsertOnce + ";\n" + db.Dialect.SelectRowsAffected, new
            {
                m.Event, m.ComplaintId, m.TrackingNo, Facts = WecomFacts.Write(m.Facts), Pending = NotificationStatus.Pending, Now = now, False = false,
                Channel, m.UnitLevel, m.UnitId, m.DedupKey,
            }, tx, cancellationToken: ct)), ct) == 1;
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            return false;
        }
    }

    private const string SelectExistingKeys = "SELECT DedupKey FROM Notifications WHERE DedupKey IN @Keys";

    /// <summary>Which of these keys are already written (asked in chunks: SQL Server takes at most 2,100 parameters).</summary>
    public async Task<HashSet<string>> ExistingKeysAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(500))
        {
            existing.UnionWith(await db.ReadAsync(c => c.QueryAsync<string>(new CommandDefinition(SelectExistingKeys, new { Keys = chunk }, cancellationToken: ct)), ct));
        }
        return existing;
    }

    private const string SelectBacklog = """
        SELECT COUNT(*) AS Pending, MIN(CreatedAt) AS Oldest FROM Notifications WHERE Status = @Pending AND Channel = @Channel;
        SELECT COUNT(*) FROM Notifications WHERE Status = @Failed AND Channel = @Channel;
        SELECT COUNT(*) FROM Notifications WHERE Channel = @Channel AND LastError LIKE @InvalidUser AND CreatedAt >= @Since;
        SELECT COUNT(*) FROM Notifications WHERE Channel = @Channel AND Status = @Pending AND ErrCode = @UntrustedIp;
        """;

    private sealed record BacklogRow
    {
        public int Pending { get; init; }
        public DateTime? Oldest { get; init; }
    }

    /// <summary>The WeCom backlog: pending (and how old), failed, invalid users in the last week, and whether 60020 holds messages back.</summary>
    public Task<WecomBacklog> BacklogAsync(DateTime now, CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(SelectBacklog, new
            {
                Pending = NotificationStatus.Pending, Failed = NotificationStatus.Failed, Channel, InvalidUser = InvalidUser + "%",
                Since = now - TimeSpan.FromDays(7), UntrustedIp = WecomException.UntrustedIpCode,
            }, cancellationToken: ct));
            var pending = await grid.ReadSingleAsync<BacklogRow>();
            var failed = await grid.ReadSingleAsync<int>();
            var invalid = await grid.ReadSingleAsync<int>();
            var untrusted = await grid.ReadSingleAsync<int>();
            var age = pending.Oldest is { } oldest && oldest < now ? (long)(now - oldest).TotalSeconds : 0;
            return new WecomBacklog(pending.Pending, age, failed, invalid, untrusted > 0);
        }, ct);

    private static string Short(string error) => error.Length <= 400 ? error : error[..400];
}

/// <summary>A message a sweep writes once per key: a deadline warning, a morning to-do.</summary>
public sealed record KeyedMessage(string Event, long? ComplaintId, string? TrackingNo, IReadOnlyDictionary<string, string> Facts,
    string UnitLevel, long? UnitId, string DedupKey);

public sealed record WecomBacklog(
    [property: System.ComponentModel.Description("WeCom messages waiting to be sent (due now, retrying, or held for quiet hours)")] int Pending,
    [property: System.ComponentModel.Description("Age in seconds of the oldest pending WeCom message; 0 when none")] long OldestPendingSeconds,
    [property: System.ComponentModel.Description("WeCom messages that failed for good")] int Failed,
    [property: System.ComponentModel.Description("Messages of the last 7 days WeCom did not deliver to some user (81013, invaliduser): fix those staff members' WeCom user ids")] int InvalidUsersLastWeek,
    [property: System.ComponentModel.Description("WeCom refuses this server's IP (60020): add it to the application's trusted IPs (企业可信IP)")] bool UntrustedIp);
