using System.Globalization;
using Dapper;
using LianApi.Calendar;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Notifications;
using LianApi.Shared;
using LianApi.Staff;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// 今日待办: on working days (the working calendar, with its 调休), from <see cref="WecomOptions.DigestTime"/> on, one card per
/// unit with mapped staff: new cases, cases due today, overdue ones (and, for the dispatch center, closed cases waiting for a
/// call-back), linking to the console's inbox. Run after each deadline sweep; keyed by (day, unit), so written once.
/// </summary>
public sealed class MorningTodo(Database db, WecomStore store, CalendarStore calendar, IOptionsMonitor<WecomOptions> options,
    IOptions<CallBackOptions> callBacks, ILogger<MorningTodo> logger)
    : IDeadlineFollowUp
{
    /// <summary>A to-do not written in this window after the digest time (the app was down all morning) waits for the next working day.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(3);

    private const string SelectUnits = """
        SELECT UnitLevel, UnitId, MIN(UnitName) AS UnitName FROM Staff
        WHERE IsActive = @True AND WecomUserId IS NOT NULL AND Role <> @Volunteer
        GROUP BY UnitLevel, UnitId
        """;

    private sealed record UnitRow
    {
        public string UnitLevel { get; init; } = "";
        public long? UnitId { get; init; }
        public string UnitName { get; init; } = "";
    }

    private const string SelectCounts = """
        SELECT HandlingLevel, HandlingUnitId,
            SUM(CASE WHEN Status = @Submitted THEN 1 ELSE 0 END) AS NewCount,
            SUM(CASE WHEN IsOverdue = @False AND DueAt < @DayEnd THEN 1 ELSE 0 END) AS DueToday,
            SUM(CASE WHEN IsOverdue = @True THEN 1 ELSE 0 END) AS Overdue
        FROM Complaints
        WHERE Status IN @Running
        GROUP BY HandlingLevel, HandlingUnitId
        """;

    private sealed record CountRow
    {
        public string HandlingLevel { get; init; } = "";
        public long? HandlingUnitId { get; init; }
        public int NewCount { get; init; }
        public int DueToday { get; init; }
        public int Overdue { get; init; }
    }

    // The call-back queue's rule (CallBackQueue): closed after the resident's evaluation or its absence, not yet called back.
    private const string SelectCallBacks = """
        SELECT COUNT(*) FROM Complaints c
        WHERE c.CloseReason IN (@NotEvaluated, @Evaluated)
          AND (c.CloseReason = @NotEvaluated OR c.Id % 100 < @SharePercent)
          AND NOT EXISTS (SELECT 1 FROM CallBacks b WHERE b.ComplaintId = c.Id)
        """;

    public async Task RunAsync(DateTime now, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var local = ChinaTime.ToChina(now);
        var today = DateOnly.FromDateTime(local);
        var from = local.Date + o.DigestTime.ToTimeSpan();
        if (!o.Enabled || local < from || local >= from + Window || !(await calendar.GetAsync(ct)).IsWorkday(today))
        {
            return;
        }
        var units = await db.ReadAsync(async c => (await c.QueryAsync<UnitRow>(new CommandDefinition(SelectUnits,
            new { True = true, Volunteer = StaffRoles.Volunteer }, cancellationToken: ct))).AsList(), ct);
        var keys = units.ToDictionary(u => Key(today, u.UnitLevel, u.UnitId));
        var existing = await store.ExistingKeysAsync(keys.Keys, ct);
        if (existing.Count == keys.Count)
        {
            return;
        }
        var dayEnd = DateTime.SpecifyKind(local.Date.AddDays(1) - ChinaTime.Offset, DateTimeKind.Utc);
        var (counts, waitingCallBacks) = await db.ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<CountRow>(new CommandDefinition(SelectCounts, new
            {
                ComplaintStatus.Submitted, False = false, True = true, DayEnd = dayEnd,
                Running = new[] { ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress },
            }, cancellationToken: ct))).ToDictionary(r => (r.HandlingLevel, r.HandlingUnitId));
            var waiting = await c.ExecuteScalarAsync<int>(new CommandDefinition(SelectCallBacks,
                new { CloseReasons.NotEvaluated, CloseReasons.Evaluated, SharePercent = callBacks.Value.RatedSharePercent }, cancellationToken: ct));
            return (rows, waiting);
        }, ct);
        var written = 0;
        foreach (var (key, unit) in keys.Where(k => !existing.Contains(k.Key)))
        {
            var count = counts.GetValueOrDefault((unit.UnitLevel, unit.UnitId));
            var facts = new Dictionary<string, string>
            {
                [NotificationValues.Unit] = unit.UnitLevel == HandlingLevel.District ? DispatchCenter.Name : unit.UnitName,
                [NotificationValues.Time] = local.ToString("yyyy年M月d日", CultureInfo.InvariantCulture),
                [WecomFacts.New] = (count?.NewCount ?? 0).ToString(CultureInfo.InvariantCulture),
                [WecomFacts.DueToday] = (count?.DueToday ?? 0).ToString(CultureInfo.InvariantCulture),
                [WecomFacts.Overdue] = (count?.Overdue ?? 0).ToString(CultureInfo.InvariantCulture),
                [WecomFacts.CallBacks] = (unit.UnitLevel == HandlingLevel.District ? waitingCallBacks : 0).ToString(CultureInfo.InvariantCulture),
            };
            if (await store.InsertOnceAsync(new KeyedMessage(WecomEvents.MorningTodo, null, null, facts, unit.UnitLevel, unit.UnitId, key), now, ct))
            {
                written++;
            }
        }
        if (written > 0)
        {
            logger.LogInformation("Morning to-do: {Written} unit(s)", written);
        }
    }

    public static string Key(DateOnly day, string level, long? unitId) =>
        string.Create(CultureInfo.InvariantCulture, $"todo:{day:yyyyMMdd}:{level}:{unitId}");
}
