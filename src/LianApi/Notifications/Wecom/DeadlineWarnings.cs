using System.Globalization;
using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Notifications;
using LianApi.Shared;
using LianApi.Staff;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// 临期预警, run after each deadline sweep: before a unit's running deadline at the configured points (by default 75 % of
/// the time and 2 hours before), at the deadline (超期), then once a day while it stays overdue; once overdue the dispatch
/// center is told too. Each warning is an outbox row keyed by (case, deadline, point, audience), written once whatever
/// runs or instances write it (the sweep's lease, then the key's unique index). A sweep that was down sends only the
/// latest point that passed: a 75 % warning after the 2-hour one would tell nothing new.
/// </summary>
public sealed class DeadlineWarnings(Database db, WecomStore store, ComplaintStore complaints, IOptionsMonitor<WecomOptions> options,
    ILogger<DeadlineWarnings> logger) : IDeadlineFollowUp
{
    public const string UnitAudience = "unit";
    public const string CenterAudience = "center";

    // The running deadline of every open case; the full case is loaded only for a warning to write.
    private const string SelectRunning = """
        SELECT Id, TrackingNo, Status, HandlingLevel, HandlingUnitId, ReceivedAt, AcceptedAt, DueAt
        FROM Complaints
        WHERE DueAt IS NOT NULL AND Status IN @Running
        """;

    internal sealed record RunningCase
    {
        public long Id { get; init; }
        public string TrackingNo { get; init; } = "";
        public string Status { get; init; } = "";
        public string HandlingLevel { get; init; } = "";
        public long? HandlingUnitId { get; init; }
        public DateTime ReceivedAt { get; init; }
        public DateTime? AcceptedAt { get; init; }
        public DateTime DueAt { get; init; }
    }

    // Units someone will hear from: a warning for a unit nobody mapped would only be skipped.
    private const string SelectMappedUnits = """
        SELECT DISTINCT UnitLevel, UnitId FROM Staff
        WHERE IsActive = @True AND WecomUserId IS NOT NULL AND Role <> @Volunteer
        """;

    private sealed record UnitRow
    {
        public string UnitLevel { get; init; } = "";
        public long? UnitId { get; init; }
    }

    /// <summary>One warning due for a case now.</summary>
    internal sealed record Due(string Event, string Point, string Audience, string Hint);

    public async Task RunAsync(DateTime now, CancellationToken ct)
    {
        if (!options.CurrentValue.Enabled)
        {
            return;
        }
        var points = options.CurrentValue.ParsedWarningPoints();
        var (running, mapped) = await db.ReadAsync(async c =>
        {
            var cases = (await c.QueryAsync<RunningCase>(new CommandDefinition(SelectRunning,
                new { Running = new[] { ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress } }, cancellationToken: ct))).AsList();
            var units = (await c.QueryAsync<UnitRow>(new CommandDefinition(SelectMappedUnits,
                new { True = true, Volunteer = StaffRoles.Volunteer }, cancellationToken: ct))).Select(u => (u.UnitLevel, u.UnitId)).ToHashSet();
            return (cases, units);
        }, ct);
        var wanted = new List<(RunningCase Case, Due Due, string Level, long? UnitId, string Key)>();
        foreach (var c in running)
        {
            foreach (var due in DueNow(c, points, now))
            {
                var (level, unitId) = due.Audience == CenterAudience ? (HandlingLevel.District, (long?)null) : (c.HandlingLevel, c.HandlingUnitId);
                if (mapped.Contains((level, unitId)))
                {
                    wanted.Add((c, due, level, unitId, Key(c.Id, c.DueAt, due.Point, due.Audience)));
                }
            }
        }
        if (wanted.Count == 0)
        {
            return;
        }
        var existing = await store.ExistingKeysAsync(wanted.Select(w => w.Key).ToList(), ct);
        var written = 0;
        foreach (var w in wanted.Where(w => !existing.Contains(w.Key)))
        {
            if (await complaints.LoadAsync(w.Case.TrackingNo, ct) is not { } loaded)
            {
                continue;
            }
            var c = loaded.Complaint;
            var facts = WecomOutbox.FactsOf(c, new Dictionary<string, string>
            {
                [NotificationValues.TrackingNo] = c.TrackingNo,
                [NotificationValues.Summary] = TextSummary.Of(c.Description),
                [NotificationValues.Status] = ComplaintStatus.Labels[c.Status],
                [NotificationValues.Unit] = c.HandlingUnitName,
                [NotificationValues.Time] = KeywordValues.Format(now),
                [NotificationValues.Category] = c.CategoryName,
                [NotificationValues.Hint] = w.Due.Hint,
            }, actorUserId: null);
            // The deadline the key names, not one an action moved since the list was read.
            facts[WecomFacts.Deadline] = WecomFacts.Time(w.Case.DueAt);
            if (await store.InsertOnceAsync(new KeyedMessage(w.Due.Event, c.Id, c.TrackingNo, facts, w.Level, w.UnitId, w.Key), now, ct))
            {
                written++;
            }
        }
        if (written > 0)
        {
            logger.LogInformation("Deadline warnings: {Written} written", written);
        }
    }

    /// <summary>
    /// The warnings due for one case at <paramref name="now"/>: before the deadline the latest configured point that passed
    /// (one after the clock started); from the deadline on, the day's overdue point to the unit and to the dispatch center.
    /// </summary>
    internal static IEnumerable<Due> DueNow(RunningCase c, IReadOnlyList<WarningPoint> points, DateTime now)
    {
        if (now < c.DueAt)
        {
            var start = c.Status == ComplaintStatus.Submitted ? c.ReceivedAt : c.AcceptedAt ?? c.ReceivedAt;
            var latest = points.Select(p => (Point: p, At: p.At(start, c.DueAt))).Where(p => p.At > start && p.At <= now)
                .OrderByDescending(p => p.At).FirstOrDefault();
            if (latest.Point is { } point)
            {
                var left = c.DueAt - now;
                var hint = left.TotalHours >= 1 ? $"距办理时限约 {(int)left.TotalHours} 小时，请抓紧办理" : $"距办理时限约 {Math.Max(1, (int)left.TotalMinutes)} 分钟，请抓紧办理";
                yield return new Due(WecomEvents.DeadlineWarning, point.Name, UnitAudience, hint);
            }
            yield break;
        }
        var days = (int)((now - c.DueAt).Ticks / TimeSpan.TicksPerDay);
        var (eventName, pointName, unitHint, centerHint) = days == 0
            ? (WecomEvents.DeadlinePassed, "due", "案件已超期，请立即办理并说明情况", "案件已超期，请跟踪督办")
            : (WecomEvents.StillOverdue, $"overdue+{days}d", $"案件已超期 {days} 天，请立即办理", $"案件已超期 {days} 天，请跟踪督办");
        yield return new Due(eventName, pointName, UnitAudience, unitHint);
        if (c.HandlingLevel != HandlingLevel.District)
        {
            yield return new Due(eventName, pointName, CenterAudience, centerHint);
        }
    }

    /// <summary>(case, deadline, point, audience): a deadline moved by an extension is a new deadline with its own warnings.</summary>
    public static string Key(long complaintId, DateTime deadline, string point, string audience) =>
        string.Create(CultureInfo.InvariantCulture, $"warn:{complaintId}:{deadline:yyyyMMddHHmmss}:{point}:{audience}");
}
