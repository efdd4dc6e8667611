using System.Globalization;

namespace LianApi.Shared;

/// <summary>
/// A day in Beijing time, the unit tracking numbers, deadlines' days and the statistics count by. One type for it, with
/// its two stored forms: the key yyyymmdd (StatsRollups.Day; a month's rows are yyyymm00) and the stamp "yyyyMMdd" of
/// tracking numbers.
/// </summary>
public readonly record struct BeijingDay(DateOnly Date) : IComparable<BeijingDay>
{
    public static BeijingDay Of(DateTime utc) => new(DateOnly.FromDateTime(utc + ChinaTime.Offset));

    public static BeijingDay FromKey(int key) => new(new DateOnly(key / 10000, key / 100 % 100, key % 100));

    /// <summary>yyyymmdd, as StatsRollups.Day stores it.</summary>
    public int Key => KeyOf(Date);

    /// <summary>The key of the day's month, yyyymm00: the Day of a dimension's monthly rows.</summary>
    public int MonthKey => Key / 100 * 100;

    /// <summary>"yyyyMMdd", as tracking numbers carry it.</summary>
    public string Stamp => Key.ToString("D8", CultureInfo.InvariantCulture);

    public static int KeyOf(DateOnly date) => date.Year * 10000 + date.Month * 100 + date.Day;

    public int CompareTo(BeijingDay other) => Date.CompareTo(other.Date);

    public override string ToString() => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
