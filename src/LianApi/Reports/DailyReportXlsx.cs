using System.Globalization;
using LianApi.Infrastructure;
using LianApi.Shared;
using LianApi.Stats;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace LianApi.Reports;

/// <summary>
/// The report as a workbook, laid out like the statistics workbook (title, note, Chinese headers, percentage cells, 合计,
/// the head frozen, A4 landscape one page wide): 概况, 街道, 部门, 超期件 (every one, not only the PDF's first 200) and 热点.
/// </summary>
public static class DailyReportXlsx
{
    public const string Summary = "概况";
    public const string Streets = "街道";
    public const string Departments = "部门";
    public const string Overdue = "超期件";
    public const string Rising = "热点";

    public const int HeadRows = 3;

    /// <summary>A rate's change: percentage points, said in the cell so a reader never takes it for a percentage.</summary>
    public const string PointsFormat = "+0.00\"个百分点\";-0.00\"个百分点\";0.00\"个百分点\"";

    private sealed record Styles(StyleId Title, StyleId Note, StyleId Head, StyleId Percent, StyleId Points, StyleId Bold, StyleId BoldPercent);

    public static async Task<byte[]> RenderAsync(DailyReport r, CancellationToken ct)
    {
        using var stream = new MemoryStream();
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: ct))
        {
            Styles? styles = null;
            // A note longer than its sheet is wide wraps onto as many lines as it is given.
            async Task<Styles> StartAsync(string sheet, string title, string note, (string Header, double Width)[] columns, int noteLines = 1)
            {
                var options = new WorksheetOptions { FrozenRows = HeadRows, FrozenColumns = 1 };
                for (var i = 0; i < columns.Length; i++)
                {
                    options.Column(i + 1).Width = columns[i].Width;
                }
                await spreadsheet.StartWorksheetAsync(sheet, options, ct);
                styles ??= new Styles(
                    spreadsheet.AddStyle(new Style { Font = { Bold = true, Size = 14 } }),
                    spreadsheet.AddStyle(new Style
                    {
                        Font = { Color = System.Drawing.Color.FromArgb(0x59, 0x59, 0x59) }, Alignment = { WrapText = true, Vertical = VerticalAlignment.Top },
                    }),
                    spreadsheet.AddStyle(new Style
                    {
                        Font = { Bold = true }, Fill = { Color = System.Drawing.Color.FromArgb(0xDD, 0xEB, 0xF7) },
                        Alignment = { Horizontal = HorizontalAlignment.Center, Vertical = VerticalAlignment.Center, WrapText = true },
                        Border = { Bottom = { BorderStyle = BorderStyle.Thin } },
                    }),
                    spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.PercentTwoDecimalPlaces) }),
                    spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(PointsFormat) }),
                    spreadsheet.AddStyle(new Style { Font = { Bold = true } }),
                    spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.PercentTwoDecimalPlaces), Font = { Bold = true } }));
                await spreadsheet.AddRowAsync([new StyledCell(title, styles.Title)], ct);
                await spreadsheet.AddRowAsync([new StyledCell(note, styles.Note)], new RowOptions { Height = 15 * noteLines }, ct);
                await spreadsheet.AddRowAsync(columns.Select(c => new StyledCell(c.Header, styles.Head)).ToList(), new RowOptions { Height = 30 }, ct);
                var last = SpreadsheetUtility.GetColumnName(columns.Length);
                spreadsheet.MergeCells($"A1:{last}1");
                spreadsheet.MergeCells($"A2:{last}2");
                return styles;
            }

            var p = r.Periods;
            var made = $"生成时间：{ChinaTime.ToChina(r.GeneratedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}（北京时间）";

            var s = await StartAsync(Summary, r.Title,
                $"统计周期：{Range(p.From, p.To)}　上期（环比）：{Range(p.PreviousFrom, p.PreviousTo)}　去年同期（同比）：{Range(p.YearBeforeFrom, p.YearBeforeTo)}　{made}　" +
                "范围：莲湖区全区；按本期受理的案件及其当前状态统计",
                [("指标", 14), ("本期", 12), ("上期", 12), ("环比", 16), ("去年同期", 12), ("同比", 16)], noteLines: 3);
            foreach (var h in r.Headline)
            {
                StyledCell Figure(double? v) => v is not { } x ? new StyledCell() : h.IsRate ? new StyledCell(x, s.Percent) : new StyledCell((int)x, null);
                StyledCell Change(double? v) => v is not { } x ? new StyledCell() : new StyledCell(x, h.IsRate ? s.Points : s.Percent);
                await spreadsheet.AddRowAsync(h.Compares
                    ? [new StyledCell(h.Name, null), Figure(h.Now), Figure(h.Previous), Change(h.ChangeOnPrevious), Figure(h.YearBefore), Change(h.ChangeOnYearBefore)]
                    : [new StyledCell(h.Name, null), Figure(h.Now)], ct);
            }

            await UnitSheetAsync(Streets, "街道", r.Streets, r.District);
            await UnitSheetAsync(Departments, "部门", r.Departments, null);

            s = await StartAsync(Overdue, r.Title + " · 超期件",
                $"{made} 仍未办结且已过办理时限的案件（全区），超期最久的在前；超期天数按整天计，不足一天算一天" +
                (r.OverdueCapped ? $"；只列出前 {DailyReport.OverdueMax:N0} 件" : ""),
                [("编号", 17), ("社区", 16), ("类别", 12), ("承办单位", 18), ("受理时间", 17), ("办理时限", 17), ("超期天数", 10)], noteLines: 2);
            foreach (var o in r.Overdue)
            {
                await spreadsheet.AddRowAsync([new StyledCell(o.TrackingNo, null), new StyledCell(o.Community, null), new StyledCell(o.Category, null),
                    new StyledCell(o.Unit, null), new StyledCell(Time(o.SubmittedAt), null), new StyledCell(Time(o.DueAt), null), new StyledCell(o.DaysOverdue, null)], ct);
            }
            await spreadsheet.AddRowAsync([new StyledCell(r.Overdue.Count == 0 ? "当前没有超期件。" : $"共 {r.Overdue.Count} 件", s.Bold)], ct);

            s = await StartAsync(Rising, r.Title + " · 热点",
                $"近{DailyReport.RisingDays}日（{Range(r.RisingFrom, r.RisingTo)}）较前{DailyReport.RisingDays}日（{Range(r.RisingPreviousFrom, r.RisingPreviousTo)}）" +
                $"受理量上升最多的社区和类别，最多 {Hotspots.RisingCount} 项",
                [("社区", 18), ("类别", 14), ($"近{DailyReport.RisingDays}日", 10), ($"前{DailyReport.RisingDays}日", 10), ("增加", 10)]);
            foreach (var x in r.Rising)
            {
                await spreadsheet.AddRowAsync([new StyledCell(x.Community.Name, null), new StyledCell(x.Category.Name, null), new StyledCell(x.Received, null),
                    new StyledCell(x.PreviousReceived, null), new StyledCell(x.Increase, null)], ct);
            }
            if (r.Rising.Count == 0)
            {
                await spreadsheet.AddRowAsync([new StyledCell("没有上升的问题。", s.Note)], ct);
            }
            await spreadsheet.FinishAsync(ct);

            async Task UnitSheetAsync(string sheet, string label, IReadOnlyList<UnitRow> units, UnitRow? total)
            {
                (string, double)[] columns =
                [
                    (label, PrintableWorkbook.Width(units.Select(u => u.Name).Append(label), min: 12, max: 40)), ("受理量", 9), ("上期", 9), ("环比", 10),
                    ("去年同期", 10), ("同比", 10), ("办结量", 9), ("办结率", 10), ("及时签收率", 11), ("按时办结率", 11), ("满意率", 10), ("当前超期", 10),
                ];
                var st = await StartAsync(sheet, r.Title + " · " + (label == "街道" ? "各街道" : "各部门"),
                    $"{made}　本期受理的案件按{(label == "街道" ? "所在街道" : "最后派往的部门")}统计；受理量的环比、同比为增减百分比（上期或去年同期为 0 时空白）",
                    columns);
                foreach (var u in units.Select(u => (Row: u, IsTotal: false)).Concat(total is not null && units.Count > 0 ? [(total, true)] : []))
                {
                    var (bold, percent) = u.IsTotal ? (st.Bold, st.BoldPercent) : ((StyleId?)null, st.Percent);
                    StyledCell Rate(double? v) => v is { } x ? new StyledCell(x, percent) : new StyledCell();
                    var f = u.Row.Now;
                    await spreadsheet.AddRowAsync([new StyledCell(u.Row.Name, bold), new StyledCell(f.Received, bold), new StyledCell(u.Row.PreviousReceived, bold),
                        Rate(u.Row.ReceivedOnPrevious), new StyledCell(u.Row.YearBeforeReceived, bold), Rate(u.Row.ReceivedOnYearBefore),
                        new StyledCell(f.Handled, bold), Rate(f.CompletionRate), Rate(f.AcceptedOnTimeRate), Rate(f.ResolvedOnTimeRate), Rate(f.SatisfactionRate),
                        new StyledCell(f.OverdueNow, bold)], ct);
                }
                if (units.Count == 0)
                {
                    await spreadsheet.AddRowAsync([new StyledCell(label == "街道" ? "本期和上期各街道均无受理。" : "本期和上期均无派往部门的案件。", st.Note)], ct);
                }
            }
        }
        return await PrintableWorkbook.ForA4LandscapeAsync(stream.ToArray(),
            [(Summary, HeadRows), (Streets, HeadRows), (Departments, HeadRows), (Overdue, HeadRows), (Rising, HeadRows)], ct);
    }

    private static string Range(DateOnly from, DateOnly to) => from == to ? ReportKinds.ChineseDate(from) : $"{ReportKinds.ChineseDate(from)}至{ReportKinds.ChineseDate(to)}";

    private static string Time(DateTime utc) => ChinaTime.ToChina(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
