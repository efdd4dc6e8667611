using System.Globalization;
using System.Text;
using LianApi.Complaints;
using LianApi.Shared;
using LianApi.Infrastructure;
using LianApi.StaffConsole.Pages;

namespace LianApi.StaffConsole;

/// <summary>The inbox's filtered list as a CSV file: UTF-8 with a BOM (Excel on a Chinese Windows), phones as the inbox masks them.</summary>
public static class InboxExport
{
    /// <summary>Rows at most: forty of the inbox's largest pages; a larger export is a statistics question, not a list.</summary>
    public const int MaxRows = 40 * ComplaintLists.MaxPageSize;

    private static readonly string[] Header = ["编号", "受理时间", "社区", "类别", "状态", "层级", "办结期限", "超期", "督办", "催办次数", "联系电话", "渠道", "摘要"];

    public static byte[] Csv(IEnumerable<InboxItem> items)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Header)).Append("\r\n");
        foreach (var i in items)
        {
            object?[] row = [i.TrackingNo, ConsoleText.Time(i.SubmittedAt), i.Community.Name, i.Category.Name, i.StatusLabel, ConsoleText.Level(i.Level),
                i.DueAt is null ? null : ConsoleText.Time(i.DueAt), i.IsOverdue ? "是" : "否", i.IsSupervised ? "是" : "否", i.UrgeCount,
                i.ContactPhone, i.Channel, i.Summary];
            // The CSV rules of the statistics export: quoted when needed, a leading = + - @ defused.
            text.Append(string.Join(',', row.Select(CsvText.Field))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static string FileName(DateTime now) => $"cases-{ChinaTime.ToChina(now).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.csv";

    /// <summary>The export link of the list shown: the same query without its page position.</summary>
    public static string Link(IQueryCollection query) =>
        ConsoleAuth.Root + "/data/cases.csv" + QueryString.Create(query.Where(p => p.Key != "cursor" && p.Value.ToString().Length > 0)
            .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString())));

    /// <summary>The printable 案件清单 of the list shown (the API's case list, up to 100,000 cases): the same query, blank fields left out.</summary>
    public static string WorkbookLink(IQueryCollection query) =>
        ConsoleAuth.Root + "/data/cases.xlsx" + QueryString.Create(query.Where(p => p.Key is not ("cursor" or "limit" or "format") && p.Value.ToString().Length > 0)
            .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString())).Append(KeyValuePair.Create("format", (string?)"xlsx")));
}
