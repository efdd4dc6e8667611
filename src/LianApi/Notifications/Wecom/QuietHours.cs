using LianApi.Calendar;
using LianApi.Shared;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// Quiet hours in Beijing time: when a non-urgent message may go out. Outside working hours means the nights of
/// working days and, unless told otherwise, the whole of rest days (weekends, holidays, by the working calendar):
/// such a message waits for the end of quiet hours on the next working day.
/// </summary>
public static class QuietHours
{
    // A calendar marks at most a few weeks of rest days in a row (春节: 8 or 9); a year is far past any of them.
    private const int MaxDaysAhead = 366;

    /// <summary>Null when a message may go at <paramref name="utc"/>; otherwise when it may (UTC).</summary>
    public static DateTime? ReleaseAt(DateTime utc, TimeOnly start, TimeOnly end, WorkingCalendar calendar, bool quietOnRestDays)
    {
        if (start == end)
        {
            return null;
        }
        var local = ChinaTime.ToChina(utc);
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        var night = start < end ? time >= start && time < end : time >= start || time < end;
        var restDay = quietOnRestDays && !calendar.IsWorkday(day);
        if (!night && !restDay)
        {
            return null;
        }
        var release = time < end ? day : day.AddDays(1);
        for (var ahead = 0; quietOnRestDays && !calendar.IsWorkday(release) && ahead < MaxDaysAhead; ahead++)
        {
            release = release.AddDays(1);
        }
        return DateTime.SpecifyKind(release.ToDateTime(end) - ChinaTime.Offset, DateTimeKind.Utc);
    }
}
