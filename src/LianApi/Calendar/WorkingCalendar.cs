using Dapper;
using LianApi.Data;

namespace LianApi.Calendar;

/// <summary>
/// Working days in China time: Monday to Friday, except the official holidays, plus the adjusted Saturdays and
/// Sundays (调休) that are worked. Ops load the State Council's table each year (`calendar import`).
/// </summary>
public sealed class WorkingCalendar(IReadOnlyDictionary<DateOnly, bool> overrides)
{
    // China Standard Time has no daylight saving, so a fixed offset is exact.
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static readonly WorkingCalendar WeekdaysOnly = new(new Dictionary<DateOnly, bool>());

    public bool IsWorkday(DateOnly day) =>
        overrides.TryGetValue(day, out var worked) ? worked : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// The same China clock time on the <paramref name="days"/>-th working day after the day of <paramref name="startUtc"/>:
    /// a case received on Friday at 10:00 with one working day is due on Monday at 10:00.
    /// </summary>
    public DateTime AddWorkingDays(DateTime startUtc, int days)
    {
        var local = startUtc + ChinaOffset;
        var day = DateOnly.FromDateTime(local);
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkday(day))
            {
                counted++;
            }
        }
        return day.ToDateTime(TimeOnly.FromTimeSpan(local.TimeOfDay)) - ChinaOffset;
    }
}

public sealed record CalendarDay(DateOnly Day, bool IsWorkday, string? Name);

public sealed class CalendarStore(Database db)
{
    private sealed record Row
    {
        public DateTime Day { get; init; }
        public bool IsWorkday { get; init; }
    }

    private const string SelectDays = "SELECT Day, IsWorkday FROM CalendarDays";

    /// <summary>The whole table is a few dozen rows a year; reading it per decision keeps every instance in step.</summary>
    public async Task<WorkingCalendar> LoadAsync(CancellationToken ct)
    {
        var rows = await db.ReadAsync(c => c.QueryAsync<Row>(new CommandDefinition(SelectDays, cancellationToken: ct)), ct);
        return new WorkingCalendar(rows.ToDictionary(r => DateOnly.FromDateTime(r.Day), r => r.IsWorkday));
    }

    public Task<int> UpsertAsync(IReadOnlyCollection<CalendarDay> days, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            db.Dialect.Upsert("CalendarDays", ["Day"], ["IsWorkday", "Name"]),
            days.Select(d => new { Day = d.Day.ToDateTime(TimeOnly.MinValue), d.IsWorkday, d.Name }), tx, cancellationToken: ct)), ct);
}
