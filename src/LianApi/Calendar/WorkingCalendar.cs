using Dapper;
using LianApi.Data;
using LianApi.Shared;

namespace LianApi.Calendar;

/// <summary>
/// Working days in China time: Monday to Friday, except the official holidays, plus the adjusted Saturdays and
/// Sundays (调休) that are worked. Ops load the State Council's table each year (`calendar import`).
/// </summary>
public sealed class WorkingCalendar(IReadOnlyDictionary<DateOnly, bool> overrides)
{
    public static readonly WorkingCalendar WeekdaysOnly = new(new Dictionary<DateOnly, bool>());

    public bool IsWorkday(DateOnly day) =>
        overrides.TryGetValue(day, out var worked) ? worked : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// The same China clock time on the <paramref name="days"/>-th working day after the day of <paramref name="startUtc"/>:
    /// a case received on Friday at 10:00 with one working day is due on Monday at 10:00.
    /// </summary>
    public DateTime AddWorkingDays(DateTime startUtc, int days)
    {
        var local = ChinaTime.ToChina(startUtc);
        var day = DateOnly.FromDateTime(local);
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkday(day))
            {
                counted++;
            }
        }
        return day.ToDateTime(TimeOnly.FromTimeSpan(local.TimeOfDay)) - ChinaTime.Offset;
    }

    /// <summary>
    /// The working days after the China day of <paramref name="fromUtc"/> up to and including the day of
    /// <paramref name="toUtc"/>: the same day is 0, Friday to Monday is 1 (the inverse of <see cref="AddWorkingDays"/>).
    /// </summary>
    public int WorkingDaysBetween(DateTime fromUtc, DateTime toUtc)
    {
        var day = DateOnly.FromDateTime(ChinaTime.ToChina(fromUtc));
        var last = DateOnly.FromDateTime(ChinaTime.ToChina(toUtc));
        var counted = 0;
        while (day < last)
        {
            day = day.AddDays(1);
            counted += IsWorkday(day) ? 1 : 0;
        }
        return counted;
    }
}

public sealed record CalendarDay(DateOnly Day, bool IsWorkday, string? Name);

/// <summary>
/// The holiday table: a few dozen rows a year, changed once a year by ops. Each instance keeps it in memory and
/// re-reads it at most <see cref="MaxAge"/> after another process imported a new one (like the org directory).
/// </summary>
public sealed class CalendarStore(Database db, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private sealed record Row
    {
        public DateTime Day { get; init; }
        public bool IsWorkday { get; init; }
    }

    private sealed record Loaded(WorkingCalendar Calendar, DateTimeOffset At);

    private Loaded? current;

    private const string SelectDays = "SELECT Day, IsWorkday FROM CalendarDays";

    public async ValueTask<WorkingCalendar> GetAsync(CancellationToken ct)
    {
        if (current is { } fresh && time.GetUtcNow() - fresh.At < MaxAge)
        {
            return fresh.Calendar;
        }
        var rows = await db.ReadAsync(c => c.QueryAsync<Row>(new CommandDefinition(SelectDays, cancellationToken: ct)), ct);
        var calendar = new WorkingCalendar(rows.ToDictionary(r => DateOnly.FromDateTime(r.Day), r => r.IsWorkday));
        current = new Loaded(calendar, time.GetUtcNow());
        return calendar;
    }

    public async Task<int> UpsertAsync(IReadOnlyCollection<CalendarDay> days, CancellationToken ct)
    {
        var written = await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            db.Dialect.Upsert("CalendarDays", ["Day"], ["IsWorkday", "Name"]),
            days.Select(d => new { Day = d.Day.ToDateTime(TimeOnly.MinValue), d.IsWorkday, d.Name }), tx, cancellationToken: ct)), ct);
        current = null;
        return written;
    }
}
