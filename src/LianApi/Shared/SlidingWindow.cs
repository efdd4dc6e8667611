namespace LianApi.Shared;

/// <summary>A limit of events in any window of time, counted from the events' times (rows in the database, so exact across instances).</summary>
public static class SlidingWindow
{
    /// <summary>
    /// Null while fewer than <paramref name="limit"/> of <paramref name="times"/> fall in the window ending now;
    /// otherwise how long until the oldest of them that matters leaves it and one more fits.
    /// </summary>
    public static TimeSpan? Wait(IEnumerable<DateTime> times, int limit, TimeSpan window, DateTime now)
    {
        var recent = times.Where(t => t > now - window).Order().ToList();
        return recent.Count >= limit ? recent[recent.Count - limit] + window - now : null;
    }
}
