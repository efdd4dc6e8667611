using System.Globalization;
using System.Text;
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

    public static async Task<ImportResult> ImportAsync(CalendarStore store, string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return new ImportResult(0, [$"{path}: file not found"]);
        }
        var records = Csv.Read(await File.ReadAllTextAsync(path, Encoding.UTF8, ct)).ToList();
        if (records.Count == 0 || !records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).SequenceEqual(["date", "kind", "name"]))
        {
            return new ImportResult(0, ["line 1: expected the header date,kind,name"]);
        }
        var errors = new List<string>();
        var days = new Dictionary<DateOnly, CalendarDay>();
        foreach (var record in records.Skip(1).Where(r => r.Fields.Any(f => f.Trim().Length > 0)))
        {
            var f = record.Fields.Select(x => x.Trim()).ToArray();
            if (f.Length != 3)
            {
                errors.Add($"line {record.Line}: expected 3 fields");
                continue;
            }
            if (!DateOnly.TryParseExact(f[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                errors.Add($"line {record.Line}: date '{f[0]}' is not yyyy-MM-dd");
            }
            else if (f[1] is not ("holiday" or "workday"))
            {
                errors.Add($"line {record.Line}: kind '{f[1]}' must be holiday or workday");
            }
            else if (f[2].Length > MaxNameLength)
            {
                errors.Add($"line {record.Line}: the name has {f[2].Length} characters; at most {MaxNameLength} fit");
            }
            else if (!days.TryAdd(day, new CalendarDay(day, f[1] == "workday", f[2].Length == 0 ? null : f[2])))
            {
                errors.Add($"line {record.Line}: {f[0]} appears twice");
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
