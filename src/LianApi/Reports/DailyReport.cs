using System.Globalization;
using LianApi.Stats;

namespace LianApi.Reports;

/// <summary>The two reports: 日报 (one Beijing day) and 周报 (one ISO week, Monday to Sunday).</summary>
public static class ReportKinds
{
    public const string Daily = "daily";
    public const string Weekly = "weekly";

    public static readonly string[] All = [Daily, Weekly];

    public static string Label(string kind) => kind == Weekly ? "周报" : "日报";

    /// <summary>The period a date falls in: the day itself, or the Monday to Sunday of its ISO week.</summary>
    public static (DateOnly From, DateOnly To) PeriodOf(string kind, DateOnly date)
    {
        if (kind != Weekly)
        {
            return (date, date);
        }
        var monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        return (monday, monday.AddDays(6));
    }

    /// <summary>莲湖区“民呼我行”诉求办理日报 · 2026年12月7日, or 周报 · 2026年第49周（11月30日至12月6日）.</summary>
    public static string Title(string kind, DateOnly from, DateOnly to)
    {
        var head = $"{StatsApi.DistrictName}“民呼我行”诉求办理{Label(kind)} · ";
        if (kind != Weekly)
        {
            return head + ChineseDate(from);
        }
        var week = ISOWeek.GetWeekOfYear(from.ToDateTime(TimeOnly.MinValue));
        var year = ISOWeek.GetYear(from.ToDateTime(TimeOnly.MinValue));
        return head + $"{year}年第{week}周（{from.ToString("M月d日", CultureInfo.InvariantCulture)}至{to.ToString("M月d日", CultureInfo.InvariantCulture)}）";
    }

    public static string ChineseDate(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
}

/// <summary>
/// What a report says, read once and drawn twice (PDF and workbook): the district's headline figures with 环比 and 同比,
/// the same by street and by department, the cases overdue now, and the problems rising in the 30 days to the period's end.
/// </summary>
public sealed record DailyReport(
    string Kind,
    DateOnly From,
    DateOnly To,
    string Title,
    DateTime GeneratedAt,
    ReportPeriods Periods,
    IReadOnlyList<HeadlineFigure> Headline,
    UnitRow District,
    IReadOnlyList<UnitRow> Streets,
    IReadOnlyList<UnitRow> Departments,
    IReadOnlyList<OverdueCase> Overdue,
    bool OverdueCapped,
    DateOnly RisingFrom,
    DateOnly RisingTo,
    DateOnly RisingPreviousFrom,
    DateOnly RisingPreviousTo,
    IReadOnlyList<RisingProblem> Rising)
{
    /// <summary>The PDF lists this many overdue cases, then says how many more the workbook has.</summary>
    public const int OverdueInPdf = 200;

    /// <summary>The workbook lists at most this many (a district far beyond it has a problem no list solves).</summary>
    public const int OverdueMax = 100_000;

    /// <summary>The days the rising problems are counted over, ending with the report's last day.</summary>
    public const int RisingDays = 30;
}

/// <summary>The period and the two it is compared with: 上期 (环比: the day or week before) and 去年同期 (同比: the same days a year before).</summary>
public sealed record ReportPeriods(DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo, DateOnly YearBeforeFrom, DateOnly YearBeforeTo);

/// <summary>One headline figure: now, before and a year before, and the changes as the statistics workbook reckons them.</summary>
public sealed record HeadlineFigure(string Name, bool IsRate, double? Now, double? Previous, double? YearBefore)
{
    /// <summary>环比: a count's change as a share of the earlier count (none from zero), a rate's in percentage points.</summary>
    public double? ChangeOnPrevious => Compares ? StatsExport.Change(Now, Previous, IsRate) : null;

    public double? ChangeOnYearBefore => Compares ? StatsExport.Change(Now, YearBefore, IsRate) : null;

    /// <summary>Whether a 环比/同比 exists for it (the overdue count now has no history).</summary>
    public bool Compares { get; init; } = true;
}

/// <summary>A street or department: its figures of the period, and its 受理量 before and a year before.</summary>
public sealed record UnitRow(string Key, string Name, StatsFigures Now, int PreviousReceived, int YearBeforeReceived)
{
    public double? ReceivedOnPrevious => StatsExport.Change(Now.Received, PreviousReceived, isRate: false);

    public double? ReceivedOnYearBefore => StatsExport.Change(Now.Received, YearBeforeReceived, isRate: false);
}

/// <summary>An open case past its deadline, as the overdue list shows it; times are UTC, shown in Beijing time.</summary>
public sealed record OverdueCase(string TrackingNo, string Community, string Category, string Unit, DateTime SubmittedAt, DateTime DueAt, int DaysOverdue);
