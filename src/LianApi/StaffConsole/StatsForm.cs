using System.Globalization;
using LianApi.Stats;

namespace LianApi.StaffConsole;

/// <summary>
/// The statistics page's GET form: the period and the ranking under the API's parameter names (from, to, sort), so the
/// page's address is the API's query; the page asks once per grouping it shows.
/// </summary>
public static class StatsForm
{
    /// <summary>The groupings the page ranks, in the order it shows them, with their headings.</summary>
    public static readonly IReadOnlyList<(string GroupBy, string Heading)> Rankings =
    [
        (StatsGroupings.Street, "按街道"),
        (StatsGroupings.Department, "按部门"),
        (StatsGroupings.Category, "按类别"),
        (StatsGroupings.Month, "按月份"),
    ];

    public static (StatsQuery Query, Dictionary<string, string[]> Errors) Read(IQueryCollection query, string? groupBy)
    {
        var errors = new Dictionary<string, string[]>();
        DateOnly? Day(string name)
        {
            if (query[name].ToString().Trim() is not { Length: > 0 } text) { return null; }
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) { return day; }
            errors[name] = ["请按“年-月-日”填写日期"];
            return null;
        }
        string? Text(string name) => query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
        return (new StatsQuery(Day("from"), Day("to"), groupBy, null, null, Text("sort")), errors);
    }

    /// <summary>The export link of the same question, as the API's export names its parameters.</summary>
    public static string Export(StatsQuery query, string format) =>
        ConsoleAuth.Root + "/data/stats/export" + QueryString.Create(new Dictionary<string, string?>
        {
            ["from"] = query.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = query.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["groupBy"] = query.GroupBy,
            ["sort"] = query.Sort,
            ["format"] = format,
        }.Where(p => p.Value is not null));

    /// <summary>A count's change as a percentage of the earlier count, signed; "—" from nothing.</summary>
    public static string Change(int now, int before) => StatsExport.Change(now, before, isRate: false) is { } c
        ? (c >= 0 ? "+" : "") + (c * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>A rate's change in percentage points, signed; "—" when either is unknown.</summary>
    public static string Points(double? now, double? before) => StatsExport.Change(now, before, isRate: true) is { } p
        ? (p >= 0 ? "+" : "") + p.ToString("0.##", CultureInfo.InvariantCulture) + " 个百分点" : "—";

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "—";
}
