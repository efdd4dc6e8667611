using System.Globalization;
using LianApi.Shared;
using SkiaSharp;

namespace LianApi.Reports;

/// <summary>
/// The report as a printed document: A4 landscape, drawn with SkiaSharp's PDF backend and the posters' embedded fonts, so
/// every machine prints the same glyphs. Tables run over as many pages as they need, their header repeated on each, and
/// every page ends with "第 n 页，共 m 页".
/// </summary>
public static class DailyReportPdf
{
    private const float PageWidth = 297 * 72f / 25.4f;
    private const float PageHeight = 210 * 72f / 25.4f;
    private const float Margin = 36;
    private const float Bottom = PageHeight - Margin - 14;
    private const float RowHeight = 16;
    private const float TextSize = 8.5f;

    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    private static readonly SKColor Grey = new(0x61, 0x61, 0x61);
    private static readonly SKColor Red = new(0xC6, 0x28, 0x28);
    private static readonly SKColor HeadFill = new(0xDD, 0xEB, 0xF7);
    private static readonly SKColor Rule = new(0xBD, 0xBD, 0xBD);

    private const float Width = PageWidth - 2 * Margin;

    /// <summary>A table column: its header, its share of the line's width and how its texts sit.</summary>
    private sealed record Column(string Header, float Width, SKTextAlign Align = SKTextAlign.Right);

    public static byte[] Render(DailyReport report)
    {
        var pages = Layout(report);
        using var buffer = new MemoryStream();
        using (var stream = new SKManagedWStream(buffer))
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = report.Title,
            Creator = "LianApi",
            Producer = "LianApi",
            // The document's own dates are when it was generated, not when these bytes were written.
            Creation = report.GeneratedAt,
            Modified = report.GeneratedAt,
            RasterDpi = 300,
        }))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                canvas.Clear(SKColors.White);
                foreach (var draw in pages[i])
                {
                    draw(canvas);
                }
                using var grey = Paint(Grey);
                Fonts.Draw(canvas, $"第 {i + 1} 页，共 {pages.Count} 页", PageWidth / 2, PageHeight - Margin + 6, Width, 8, grey, SKTextAlign.Center);
                Fonts.Draw(canvas, report.Title, Margin, PageHeight - Margin + 6, Width / 2, 7, grey);
                document.EndPage();
            }
            document.Close();
        }
        return buffer.ToArray();
    }

    private static SKPaint Paint(SKColor color) => new() { Color = color, IsAntialias = true };

    /// <summary>Places every line of the report on pages (a page is a list of drawing steps), breaking tables where a page ends.</summary>
    private static List<List<Action<SKCanvas>>> Layout(DailyReport r)
    {
        var pages = new List<List<Action<SKCanvas>>> { new() };
        var y = Margin;

        void NewPage()
        {
            pages.Add([]);
            y = Margin;
        }

        void Place(float height, Action<SKCanvas, float> draw)
        {
            if (y + height > Bottom)
            {
                NewPage();
            }
            var top = y;
            pages[^1].Add(c => draw(c, top));
            y += height;
        }

        void Text(string text, float size, SKColor color, float height, bool bold = false) =>
            Place(height, (c, top) =>
            {
                using var paint = Paint(color);
                Fonts.Draw(c, text, Margin, top + height - 5, Width, size, paint, bold: bold);
            });

        void Table(string heading, Column[] columns, IReadOnlyList<(string[] Cells, bool Bold)> rows, string? empty = null)
        {
            // A heading never ends a page alone: it goes with its header and first row.
            if (y + 22 + 2 * RowHeight > Bottom)
            {
                NewPage();
            }
            Text(heading, 11, Red, 22, bold: true);
            Place(RowHeight, (c, top) => Header(c, columns, top));
            if (rows.Count == 0 && empty is not null)
            {
                Text(empty, TextSize, Grey, RowHeight);
            }
            foreach (var (cells, bold) in rows)
            {
                if (y + RowHeight > Bottom)
                {
                    NewPage();
                    Place(RowHeight, (c, top) => Header(c, columns, top));
                }
                Place(RowHeight, (c, top) => Row(c, columns, cells, top, bold));
            }
            y += 8;
        }

        Text(r.Title, 17, Ink, 28, bold: true);
        var p = r.Periods;
        Text($"统计周期：{Range(p.From, p.To)}　上期（环比）：{Range(p.PreviousFrom, p.PreviousTo)}　去年同期（同比）：{Range(p.YearBeforeFrom, p.YearBeforeTo)}", 9, Grey, 15);
        Text($"生成时间：{ChinaTime.ToChina(r.GeneratedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}（北京时间）　范围：莲湖区全区（区调度中心口径）　" +
             "按本期受理的案件及其当前状态统计；受理量的环比、同比为增减百分比，各项比率的为增减百分点", 9, Grey, 18);

        Table("一、总体情况",
            // Six short columns: two thirds of the line, so a figure stays near its name.
            [new("指标", 0.14f, SKTextAlign.Left), new("本期", 0.09f), new("上期", 0.09f), new("环比", 0.12f), new("去年同期", 0.09f), new("同比", 0.12f)],
            r.Headline.Select(h => (new[]
            {
                h.Name, Figure(h.Now, h.IsRate), h.Compares ? Figure(h.Previous, h.IsRate) : "—", h.Compares ? Change(h.ChangeOnPrevious, h.IsRate) : "—",
                h.Compares ? Figure(h.YearBefore, h.IsRate) : "—", h.Compares ? Change(h.ChangeOnYearBefore, h.IsRate) : "—",
            }, false)).ToList());

        Table("二、各街道", UnitColumns("街道"), UnitRows(r.Streets, r.District), "本期和上期各街道均无受理。");
        Table("三、各部门（按最后派往的部门）", UnitColumns("部门"), UnitRows(r.Departments, null), "本期和上期均无派往部门的案件。");

        var shown = r.Overdue.Take(DailyReport.OverdueInPdf).ToList();
        Table($"四、超期件（当前共 {r.Overdue.Count}{(r.OverdueCapped ? "+" : "")} 件，超期最久的在前）",
            [new("编号", 0.15f, SKTextAlign.Left), new("社区", 0.17f, SKTextAlign.Left), new("类别", 0.12f, SKTextAlign.Left), new("承办单位", 0.2f, SKTextAlign.Left),
             new("受理时间", 0.13f), new("办理时限", 0.13f), new("超期天数", 0.1f)],
            shown.Select(o => (new[] { o.TrackingNo, o.Community, o.Category, o.Unit, Time(o.SubmittedAt), Time(o.DueAt), o.DaysOverdue.ToString(CultureInfo.InvariantCulture) }, false)).ToList(),
            "当前没有超期件。");
        if (r.Overdue.Count > shown.Count)
        {
            Text($"另有 {r.Overdue.Count - shown.Count} 件，见 Excel 的“超期件”表。", TextSize + 0.5f, Red, 18);
        }

        Table($"五、热点问题：近{DailyReport.RisingDays}日（{Range(r.RisingFrom, r.RisingTo)}）较前{DailyReport.RisingDays}日上升最多的社区和类别",
            [new("社区", 0.34f, SKTextAlign.Left), new("类别", 0.24f, SKTextAlign.Left), new($"近{DailyReport.RisingDays}日", 0.14f),
             new($"前{DailyReport.RisingDays}日", 0.14f), new("增加", 0.14f)],
            r.Rising.Select(x => (new[] { x.Community.Name, x.Category.Name, Count(x.Received), Count(x.PreviousReceived), "+" + Count(x.Increase) }, false)).ToList(),
            "没有上升的问题。");
        return pages;
    }

    private static Column[] UnitColumns(string name) =>
    [
        new(name, 0.16f, SKTextAlign.Left), new("受理量", 0.07f), new("上期", 0.07f), new("环比", 0.08f), new("去年同期", 0.08f), new("同比", 0.08f),
        new("办结量", 0.07f), new("办结率", 0.08f), new("及时签收率", 0.08f), new("按时办结率", 0.08f), new("满意率", 0.08f), new("当前超期", 0.07f),
    ];

    /// <summary>One line per unit, and 合计 for the district when <paramref name="district"/> is given (departments do not add up to it).</summary>
    private static List<(string[], bool)> UnitRows(IReadOnlyList<UnitRow> units, UnitRow? district) =>
        units.Select(u => (Cells(u), false)).Concat(district is not null && units.Count > 0 ? [(Cells(district), true)] : []).ToList();

    private static string[] Cells(UnitRow u) =>
    [
        u.Name, Count(u.Now.Received), Count(u.PreviousReceived), Change(u.ReceivedOnPrevious, false), Count(u.YearBeforeReceived),
        Change(u.ReceivedOnYearBefore, false), Count(u.Now.Handled), Figure(u.Now.CompletionRate, true), Figure(u.Now.AcceptedOnTimeRate, true),
        Figure(u.Now.ResolvedOnTimeRate, true), Figure(u.Now.SatisfactionRate, true), Count(u.Now.OverdueNow),
    ];

    private static void Header(SKCanvas canvas, Column[] columns, float top)
    {
        using var fill = Paint(HeadFill);
        canvas.DrawRect(Margin, top, columns.Sum(c => c.Width) * Width, RowHeight, fill);
        Cells(canvas, columns, columns.Select(c => c.Header).ToArray(), top, bold: true);
    }

    private static void Row(SKCanvas canvas, Column[] columns, string[] cells, float top, bool bold)
    {
        using var rule = new SKPaint { Color = Rule, StrokeWidth = 0.5f, IsAntialias = true };
        canvas.DrawLine(Margin, top + RowHeight, Margin + columns.Sum(c => c.Width) * Width, top + RowHeight, rule);
        Cells(canvas, columns, cells, top, bold);
    }

    private static void Cells(SKCanvas canvas, Column[] columns, string[] cells, float top, bool bold)
    {
        using var ink = Paint(Ink);
        var left = Margin;
        for (var i = 0; i < columns.Length; i++)
        {
            var width = columns[i].Width * Width;
            var x = columns[i].Align switch { SKTextAlign.Right => left + width - 4, SKTextAlign.Center => left + width / 2, _ => left + 4 };
            Fonts.Draw(canvas, cells[i], x, top + RowHeight - 4.5f, width - 8, TextSize, ink, columns[i].Align, bold);
            left += width;
        }
    }

    private static string Range(DateOnly from, DateOnly to) => from == to ? ReportKinds.ChineseDate(from) : $"{ReportKinds.ChineseDate(from)}至{ReportKinds.ChineseDate(to)}";

    private static string Time(DateTime utc) => ChinaTime.ToChina(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A rate as 98.92%, a count as 1,234; nothing to divide is "—".</summary>
    internal static string Figure(double? value, bool isRate) => value switch
    {
        null => "—",
        { } v when isRate => v.ToString("0.00%", CultureInfo.InvariantCulture),
        { } v => ((int)v).ToString("N0", CultureInfo.InvariantCulture),
    };

    /// <summary>A count's change as +33.33%, a rate's as +1.42 个百分点; none (from zero, or nothing to compare) is "—".</summary>
    internal static string Change(double? change, bool isRate) => change switch
    {
        null => "—",
        { } d when isRate => d.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + "个百分点",
        { } d => d.ToString("+0.00%;-0.00%;0.00%", CultureInfo.InvariantCulture),
    };
}
