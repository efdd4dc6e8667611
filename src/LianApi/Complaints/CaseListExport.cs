using System.Globalization;
using System.Text;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Shared;
using LianApi.Staff;
using SpreadCheetah;
using SpreadCheetah.Styling;

namespace LianApi.Complaints;

/// <summary>
/// A case list (超期件清单, 吹哨件清单, …) for any inbox filter, in the inbox's order and scope: CSV for machines, xlsx for
/// people (titled with the scope and filter, A4 landscape one page wide). Phones as the inbox masks them; rows written as
/// they are read.
/// </summary>
public static class CaseListExport
{
    public const int MaxRows = 100_000;
    public const string MaxRowsText = "100,000";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly (string Header, double Width)[] Columns =
    [
        ("编号", 17), ("社区", 14), ("网格", 12), ("类别", 12), ("摘要", 40), ("承办单位", 16), ("受理时间", 17), ("办理时限", 17),
        ("状态", 9), ("超期天数", 9), ("评价", 10), ("联系电话", 14), ("渠道", 11),
    ];

    private const int HeadRows = 3;

    /// <summary>One case as the list shows it; the days overdue count whole days past the running deadline (a part day is one).</summary>
    public static object?[] Values(InboxRow r, OrgDirectory.Snapshot names, DateTime now) =>
    [
        r.TrackingNo, r.CommunityName, r.GridName, r.CategoryName, TextSummary.Of(r.Description),
        names.UnitName(r.HandlingLevel, r.HandlingUnitId), Time(r.SubmittedAt), r.DueAt is { } due && due < Complaint.NoDeadline ? Time(due) : null,
        ComplaintStatus.Labels[r.Status], r.IsOverdue && r.DueAt is { } d && d < now ? (int)Math.Ceiling((now - d).TotalDays) : null,
        Rating(r), r.Anonymous ? null : r.ContactPhoneMasked, Channels.Labels[r.Channel],
    ];

    private static string? Rating(InboxRow r) => r.LastSatisfaction is { } s
        ? Satisfaction.Labels[s] + (r.LastEvaluationResolved == false ? "（未解决）" : "")
        : null;

    private static string Time(DateTime utc) => ChinaTime.ToChina(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>What the list is: the campaign, the caller's scope and the filters asked, e.g. "… · 贡院门社区 · 超期件清单".</summary>
    public static string Title(StaffMember staff, InboxQuery q, OrgDirectory.Snapshot names)
    {
        var parts = new List<string>();
        if (q.Overdue == true) { parts.Add("超期件"); }
        if (q.Overdue == false) { parts.Add("未超期"); }
        if (q.Whistled == true) { parts.Add("吹哨待报到件"); }
        if (q.Status is { } status) { parts.Add(ComplaintStatus.Labels[status]); }
        if (q.Category is { } category) { parts.Add(names.CategoriesByCode.GetValueOrDefault(category)?.Name ?? category); }
        if (q.Community is { } community) { parts.Add(names.CommunitiesByCode.GetValueOrDefault(community)?.Name ?? community); }
        if ((q.Street ?? q.Department ?? q.Grid) is { } unit) { parts.Add(unit); }
        if (q.Channel is { } channel) { parts.Add(Channels.Labels[channel]); }
        if (q.ContentReview == true) { parts.Add("内容待复核"); }
        if (q.Q is { } text) { parts.Add($"含“{text}”"); }
        if (q.Phone is not null) { parts.Add("按电话"); }
        if (q.From is not null || q.To is not null)
        {
            parts.Add($"{(q.From is { } f ? Date(f.Value) : "")}至{(q.To is { } t ? Date(t.Value.AddTicks(-1)) : "今")}");
        }
        var scope = staff.SeesEverything ? "莲湖区" : staff.UnitName;
        return $"莲湖区“民呼我行”诉求办理案件清单 · {scope} · {(parts.Count == 0 ? "全部案件" : string.Join("、", parts))}";
    }

    private static string Date(DateTimeOffset time) => ChinaTime.ToChina(time.UtcDateTime).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public delegate Task<bool> Reading(Func<InboxRow, OrgDirectory.Snapshot, ValueTask> row);

    /// <summary>UTF-8 with a BOM (Excel on a Chinese Windows), a header row, one row per case; a leading = + - @ defused.</summary>
    public static async Task WriteCsvAsync(Stream body, Reading read, DateTime now, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(true), 1 << 16, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns.Select(c => c.Header)) + "\r\n");
        await read(async (r, names) => await writer.WriteAsync(string.Join(',', Values(r, names, now).Select(CsvText.Field)) + "\r\n"));
        await writer.FlushAsync(ct);
    }

    /// <summary>
    /// The xlsx: the title, when it was made and how many cases it lists (the limit said when reached), the header frozen
    /// and repeated on every printed page. Written to a temporary file first and laid out into a second (the layout is
    /// added to the finished file; zip archives write synchronously, which a response body refuses), then copied to
    /// <paramref name="body"/>.
    /// </summary>
    public static async Task WriteXlsxAsync(Stream body, string title, Reading read, DateTime now, CancellationToken ct)
    {
        const string sheet = "案件清单";
        await using var temp = TemporaryFile();
        var options = new SpreadCheetah.Worksheets.WorksheetOptions { FrozenRows = HeadRows, FrozenColumns = 1 };
        for (var i = 0; i < Columns.Length; i++)
        {
            options.Column(i + 1).Width = Columns[i].Width;
        }
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(temp, cancellationToken: ct))
        {
            await spreadsheet.StartWorksheetAsync(sheet, options, ct);
            var bold = spreadsheet.AddStyle(new Style { Font = { Bold = true, Size = 14 } });
            var note = spreadsheet.AddStyle(new Style { Font = { Color = System.Drawing.Color.FromArgb(0x59, 0x59, 0x59) } });
            var head = spreadsheet.AddStyle(new Style
            {
                Font = { Bold = true }, Fill = { Color = System.Drawing.Color.FromArgb(0xDD, 0xEB, 0xF7) },
                Alignment = { Horizontal = HorizontalAlignment.Center, Vertical = VerticalAlignment.Center },
                Border = { Bottom = { BorderStyle = BorderStyle.Thin } },
            });
            var overdue = spreadsheet.AddStyle(new Style { Font = { Bold = true, Color = System.Drawing.Color.FromArgb(0xC0, 0x00, 0x00) } });
            await spreadsheet.AddRowAsync([new StyledCell(title, bold)], ct);
            await spreadsheet.AddRowAsync([new StyledCell(
                $"生成时间：{ChinaTime.ToChina(now).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}（北京时间）　联系电话已脱敏　最多列出 {MaxRowsText} 件", note)], ct);
            await spreadsheet.AddRowAsync(Columns.Select(c => new StyledCell(c.Header, head)).ToList(), ct);
            var rows = 0;
            var more = await read(async (r, names) =>
            {
                rows++;
                await spreadsheet.AddRowAsync(Values(r, names, now).Select((value, i) => value switch
                {
                    null => new StyledCell(),
                    int days => new StyledCell(days, overdue),
                    _ => new StyledCell(value.ToString(), null),
                }).ToList(), ct);
            });
            await spreadsheet.AddRowAsync([new StyledCell(more
                ? $"共列出 {rows.ToString("N0", CultureInfo.InvariantCulture)} 件，已达上限 {MaxRowsText} 件：请缩小筛选范围（如按时间段）后分批导出"
                : $"共 {rows.ToString("N0", CultureInfo.InvariantCulture)} 件", note)], ct);
            var last = SpreadsheetUtility.GetColumnName(Columns.Length);
            spreadsheet.MergeCells($"A1:{last}1");
            spreadsheet.MergeCells($"A2:{last}2");
            await spreadsheet.FinishAsync(ct);
        }
        temp.Position = 0;
        await using var laidOut = TemporaryFile();
        await PrintableWorkbook.CopyForA4LandscapeAsync(temp, laidOut, [(sheet, HeadRows)], ct);
        laidOut.Position = 0;
        await laidOut.CopyToAsync(body, ct);
    }

    private static FileStream TemporaryFile() => new(Path.Combine(Path.GetTempPath(), $"lian-cases-{Guid.NewGuid():N}.xlsx"), FileMode.CreateNew,
        FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    public static string FileName(DateTime now, string extension) =>
        $"cases-{ChinaTime.ToChina(now).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.{extension}";
}
