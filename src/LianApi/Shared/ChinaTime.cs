using System.Globalization;

namespace LianApi.Shared;

/// <summary>Beijing time. China Standard Time has no daylight saving, so a fixed offset is exact and needs no tz database.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The wall-clock time in Beijing of a UTC instant.</summary>
    public static DateTime ToChina(DateTime utc) => utc + Offset;

    /// <summary>The Beijing calendar day of a UTC instant.</summary>
    public static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(utc + Offset);

    /// <summary>yyyyMMdd of the Beijing day, as tracking numbers use it.</summary>
    public static string DayStamp(DateTime utc) => (utc + Offset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A stored UTC time as a value with an explicit offset.</summary>
    public static DateTimeOffset AsUtc(this DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
