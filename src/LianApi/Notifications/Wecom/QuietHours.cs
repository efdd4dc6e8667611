using LianApi.Shared;

namespace LianApi.Notifications.Wecom;

/// <summary>Quiet hours in Beijing time: when a non-urgent message that falls in them may go out.</summary>
public static class QuietHours
{
    /// <summary>Null when <paramref name="utc"/> is outside quiet hours; otherwise the end of these quiet hours (UTC).</summary>
    public static DateTime? ReleaseAt(DateTime utc, TimeOnly start, TimeOnly end)
    {
        if (start == end)
        {
            return null;
        }
        var local = ChinaTime.ToChina(utc);
        var time = TimeOnly.FromDateTime(local);
        var quiet = start < end ? time >= start && time < end : time >= start || time < end;
        if (!quiet)
        {
            return null;
        }
        var releaseDay = time >= end ? local.Date.AddDays(1) : local.Date;
        return DateTime.SpecifyKind(releaseDay + end.ToTimeSpan() - ChinaTime.Offset, DateTimeKind.Utc);
    }
}
