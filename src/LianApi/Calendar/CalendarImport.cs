using System.Globalization;
using LianApi.Shared;

namespace LianApi.Calendar;

/// <summary>
/// The year's holiday table (国务院办公厅 notice) as CSV: <c>date,kind,name</c> with kind <c>holiday</c> for a day off
/// on a weekday and <c>workday</c> for an adjusted weekend day that is worked (调休). Checked whole, then upserted.
/// </summary>
public static class CalendarImport
{
    /// <summary>CalendarDays.Name: nvarchar(50) on SQL Server (SQLite would store anything, so the check is here).</summary>
    public const int MaxNameLength = 50;

    public static readonly string[] Columns = ["date", "kind", "name"];

    public static async Task<ImportResult> ImportAsync(CalendarStore store, string path, CancellationToken ct)
    {
        var (rows, errors) = Csv.ReadTable(path, Columns);
        var days = new Dictionary<DateOnly, CalendarDay>();
        foreach (var (line, f) in rows)
        {
            var (date, kind, name) = (f["date"], f["kind"], f["name"]);
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                errors.Add($"line {line}: date '{date}' is not yyyy-MM-dd");
            }
            else if (kind is not ("holiday" or "workday"))
            {
                errors.Add($"line {line}: kind '{kind}' must be holiday or workday");
            }
            else if (name.Length > MaxNameLength)
            {
                errors.Add($"line {line}: the name has {name.Length} characters; at most {MaxNameLength} fit");
            }
            else if (!days.TryAdd(day, new CalendarDay(day, kind == "workday", name.Length == 0 ? null : name)))
            {
                errors.Add($"line {line}: {date} appears twice");
            }
        }
        if (errors.Count > 0)
        {
            return new ImportResult(0, errors);
        }
        await store.UpsertAsync(days.Values, ct);
        return new ImportResult(days.Count, []);
    }
}
