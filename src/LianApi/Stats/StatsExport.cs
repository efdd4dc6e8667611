using System.Globalization;
using System.Text;
using LianApi.Infrastructure;
using LianApi.Shared;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace LianApi.Stats;

/// <summary>The monthly report's table: one row per group and the total; the CSV for machines (codes, fractions), the xlsx for people.</summary>
public static class StatsExport
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly string[] Header =
    [
        "编码", "名称", "受理量", "办结量", "办结率", "及时签收率", "按时办结率", "解决率", "满意率", "非常满意率", "评价率",
        "重办率", "退单率", "延期率", "上报率", "当前超期", "差评未整改", "超期未评价自动归档", "不予受理",
        "签收用时中位数(小时)", "签收用时P90(小时)", "办结用时中位数(工作日)", "办结用时P90(工作日)",
    ];

    private static IEnumerable<object?[]> Rows(StatsReport report) =>
        report.Groups.Append(report.Total).Select(f => new object?[]
        {
            f.Key, f.Name, f.Received, f.Handled, f.CompletionRate, f.AcceptedOnTimeRate, f.ResolvedOnTimeRate, f.ResolutionRate,
            f.SatisfactionRate, f.SatisfiedOnlyRate, f.EvaluationRate, f.ReopenRate, f.ReturnRate, f.ExtensionRate, f.EscalationRate,
            f.OverdueNow, f.UnsatisfiedPending, f.AutoClosed, f.Rejected, f.MedianHoursToAccept, f.P90HoursToAccept,
            f.MedianWorkingDaysToResolve, f.P90WorkingDaysToResolve,
        });

    /// <summary>UTF-8 with a BOM, so Excel on a Chinese Windows opens it as UTF-8; rates as fractions (0.9972).</summary>
    public static byte[] Csv(StatsReport report)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Header)).Append("\r\n");
        foreach (var row in Rows(report))
        {
            text.Append(string.Join(',', row.Select(CsvText.Field))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>The sheet's title: the campaign, the scope and the period, as a leader's report is headed.</summary>
    public static string Title(StatsReport report) =>
        $"{StatsApi.DistrictName}“民呼我行”诉求办理统计 · {report.Scope.Name} · {ChineseDate(report.From)}至{ChineseDate(report.To)}";

    public static readonly IReadOnlyDictionary<string, string> GroupingLabels = new Dictionary<string, string>
    {
        [StatsGroupings.Street] = "按街道",
        [StatsGroupings.Community] = "按社区",
        [StatsGroupings.Department] = "按部门",
        [StatsGroupings.Category] = "按类别",
        [StatsGroupings.Grid] = "按网格",
        [StatsGroupings.Channel] = "按渠道",
        [StatsGroupings.Recorder] = "按代录人员",
        [StatsGroupings.Handler] = "按办结人员",
        [StatsGroupings.Day] = "按日",
        [StatsGroupings.Week] = "按周",
        [StatsGroupings.Month] = "按月",
    };

    private static string ChineseDate(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>The xlsx's columns for people: the group's name first (codes are for machines, in the CSV), rates as percentages.</summary>
    private enum Kind { Name, Count, Rate, Hours, Days }

    private static readonly (string Header, Kind Kind)[] Columns =
    [
        ("名称", Kind.Name), ("受理量", Kind.Count), ("办结量", Kind.Count), ("办结率", Kind.Rate), ("及时签收率", Kind.Rate), ("按时办结率", Kind.Rate),
        ("解决率", Kind.Rate), ("满意率", Kind.Rate), ("非常满意率", Kind.Rate), ("评价率", Kind.Rate), ("重办率", Kind.Rate), ("退单率", Kind.Rate),
        ("延期率", Kind.Rate), ("上报率", Kind.Rate), ("当前超期", Kind.Count), ("差评未整改", Kind.Count), ("超期未评价归档", Kind.Count),
        ("不予受理", Kind.Count), ("签收用时中位数（小时）", Kind.Hours), ("签收用时P90（小时）", Kind.Hours),
        ("办结用时中位数（工作日）", Kind.Days), ("办结用时P90（工作日）", Kind.Days),
    ];

    private const int HeadRows = 3;

    /// <summary>
    /// The spreadsheet a leader prints: the title (campaign, scope, period), when it was made, Chinese headers, rates as
    /// percentage cells, 合计 for the whole scope, columns as wide as their names, the head frozen, A4 landscape one page wide.
    /// </summary>
    public static async Task<byte[]> XlsxAsync(StatsReport report, DateTime generatedAt, CancellationToken ct)
    {
        const string sheet = "统计";
        var rows = Rows(report).Select(r => r[1..]).ToList();
        rows[^1][0] = "合计";
        var options = new SpreadCheetah.Worksheets.WorksheetOptions { FrozenRows = HeadRows, FrozenColumns = 1 };
        for (var i = 0; i < Columns.Length; i++)
        {
            var (header, kind) = Columns[i];
            options.Column(i + 1).Width = kind == Kind.Name
                ? PrintableWorkbook.Width(rows.Select(r => r[0]?.ToString()).Append(header), min: 10, max: 40)
                : Math.Max(9, PrintableWorkbook.DisplayWidth(header) / 2.0 + 2);
        }
        using var stream = new MemoryStream();
        var sheets = new List<(string, int)> { (sheet, HeadRows) };
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: ct))
        {
            await spreadsheet.StartWorksheetAsync(sheet, options, ct);
            var title = spreadsheet.AddStyle(new Style { Font = { Bold = true, Size = 14 } });
            var note = spreadsheet.AddStyle(new Style { Font = { Color = System.Drawing.Color.FromArgb(0x59, 0x59, 0x59) } });
            var head = spreadsheet.AddStyle(new Style
            {
                Font = { Bold = true }, Fill = { Color = System.Drawing.Color.FromArgb(0xDD, 0xEB, 0xF7) },
                Alignment = { Horizontal = HorizontalAlignment.Center, Vertical = VerticalAlignment.Center, WrapText = true },
                Border = { Bottom = { BorderStyle = BorderStyle.Thin } },
            });
            var percent = spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.PercentTwoDecimalPlaces) });
            var percentTotal = spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.PercentTwoDecimalPlaces), Font = { Bold = true } });
            var total = spreadsheet.AddStyle(new Style { Font = { Bold = true } });

            await spreadsheet.AddRowAsync([new StyledCell(Title(report), title)], ct);
            var grouping = report.GroupBy is { } g ? GroupingLabels[g] : "全范围";
            await spreadsheet.AddRowAsync([new StyledCell(
                $"生成时间：{ChinaTime.ToChina(generatedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}（北京时间）　分组：{grouping}　" +
                "比率按百分比；用时为所在区间的上限；空白表示无可计算的案件", note)], ct);
            // Two lines: the longer headers wrap.
            await spreadsheet.AddRowAsync(Columns.Select(c => new StyledCell(c.Header, head)).ToList(), new RowOptions { Height = 32 }, ct);
            for (var r = 0; r < rows.Count; r++)
            {
                var isTotal = r == rows.Count - 1;
                await spreadsheet.AddRowAsync(rows[r].Select((value, i) => value switch
                {
                    null => new StyledCell(),
                    int n => new StyledCell(n, isTotal ? total : null),
                    double d when Columns[i].Kind == Kind.Rate => new StyledCell(d, isTotal ? percentTotal : percent),
                    double d => new StyledCell(d, isTotal ? total : null),
                    _ => new StyledCell(value.ToString(), isTotal ? total : null),
                }).ToList(), ct);
            }
            var last = SpreadsheetUtility.GetColumnName(Columns.Length);
            spreadsheet.MergeCells($"A1:{last}1");
            spreadsheet.MergeCells($"A2:{last}2");
            if (report is { Previous: { } previous, YearBefore: { } yearBefore })
            {
                await ComparisonSheetAsync(spreadsheet, report, previous, yearBefore, rows.Select(r => r[0]?.ToString()), (title, note, head, percent), ct);
                sheets.Add((ComparisonSheet, ComparisonHeadRows));
            }
            await CallBackSheetAsync(spreadsheet, report, (title, note, head, percent), ct);
            sheets.Add((CallBackSheet, HeadRows));
            await WhistleSheetAsync(spreadsheet, report, (title, note, head, percent, total), ct);
            sheets.Add((WhistleSheet, HeadRows));
            await spreadsheet.FinishAsync(ct);
        }
        return await PrintableWorkbook.ForA4LandscapeAsync(stream.ToArray(), sheets, ct);
    }

    public const string CallBackSheet = "回访";

    private static readonly string[] CallBackHeader = ["层级", "单位", "办结件数", "回访件数", "回访率", "回访称已解决", "满意", "基本满意", "不满意", "回访满意率"];

    /// <summary>回访 by unit: what residents told the dispatch center on the phone about the cases each unit resolved.</summary>
    private static async Task CallBackSheetAsync(Spreadsheet spreadsheet, StatsReport report, (StyleId Title, StyleId Note, StyleId Head, StyleId Percent) styles,
        CancellationToken ct)
    {
        var options = new SpreadCheetah.Worksheets.WorksheetOptions { FrozenRows = HeadRows, FrozenColumns = 2 };
        options.Column(1).Width = 8;
        options.Column(2).Width = PrintableWorkbook.Width(report.CallBacks.Select(c => c.Name).Append("单位"), min: 10, max: 40);
        for (var i = 3; i <= CallBackHeader.Length; i++)
        {
            options.Column(i).Width = 12;
        }
        await spreadsheet.StartWorksheetAsync(CallBackSheet, options, ct);
        await spreadsheet.AddRowAsync([new StyledCell(Title(report) + " · 回访", styles.Title)], ct);
        await spreadsheet.AddRowAsync([new StyledCell(
            "区调度中心电话回访：各单位本期办结的案件中回访了多少、居民怎么说（每件以最后一次回访为准；回访满意率＝（满意＋基本满意）÷回访件数）", styles.Note)], ct);
        await spreadsheet.AddRowAsync(CallBackHeader.Select(h => new StyledCell(h, styles.Head)).ToList(), new RowOptions { Height = 32 }, ct);
        foreach (var c in report.CallBacks)
        {
            StyledCell Rate(double? r) => r is { } v ? new StyledCell(v, styles.Percent) : new StyledCell();
            await spreadsheet.AddRowAsync([new StyledCell(HandlingLevel.Names.GetValueOrDefault(c.Level, c.Level), null), new StyledCell(c.Name, null),
                new StyledCell(c.Resolved, null), new StyledCell(c.CalledBack, null), Rate(c.CallBackRate), new StyledCell(c.SaidResolved, null),
                new StyledCell(c.Satisfied, null), new StyledCell(c.BasicallySatisfied, null), new StyledCell(c.Unsatisfied, null), Rate(c.SatisfactionRate)], ct);
        }
        if (report.CallBacks.Count == 0)
        {
            await spreadsheet.AddRowAsync([new StyledCell("本期没有办结的案件。", styles.Note)], ct);
        }
        var last = SpreadsheetUtility.GetColumnName(CallBackHeader.Length);
        spreadsheet.MergeCells($"A1:{last}1");
        spreadsheet.MergeCells($"A2:{last}2");
    }

    public const string WhistleSheet = "吹哨报到";

    private static readonly string[] WhistleHeader = ["部门", "吹哨件数", "报到件数", "按时报到件数", "报到率", "按时报到率"];

    /// <summary>吹哨报到 by department: how many cases were whistled to each, and whether it reported (accepted) in its response time.</summary>
    private static async Task WhistleSheetAsync(Spreadsheet spreadsheet, StatsReport report,
        (StyleId Title, StyleId Note, StyleId Head, StyleId Percent, StyleId Total) styles, CancellationToken ct)
    {
        var title = Title(report) + " · 吹哨报到";
        const string note = "社区、街道吹哨，部门报到：本期受理的案件中最后一次吹哨到各部门的件数，部门签收即报到（报到率＝报到件数÷吹哨件数；按时＝在响应时限内）";
        var options = new SpreadCheetah.Worksheets.WorksheetOptions { FrozenRows = HeadRows, FrozenColumns = 1 };
        var nameWidth = PrintableWorkbook.Width(report.Whistles.Select(w => w.Name).Append("部门"), min: 12, max: 40);
        options.Column(1).Width = nameWidth;
        // Six columns are narrower than the title (14 pt bold) and the note: the figures' columns share the rest, so the
        // page printed one page wide shows both whole.
        var figureWidth = Math.Max(14, (Math.Max(PrintableWorkbook.DisplayWidth(title) * 1.3, PrintableWorkbook.DisplayWidth(note)) + 2 - nameWidth) / 5);
        for (var i = 2; i <= WhistleHeader.Length; i++)
        {
            options.Column(i).Width = figureWidth;
        }
        await spreadsheet.StartWorksheetAsync(WhistleSheet, options, ct);
        await spreadsheet.AddRowAsync([new StyledCell(title, styles.Title)], ct);
        await spreadsheet.AddRowAsync([new StyledCell(note, styles.Note)], ct);
        await spreadsheet.AddRowAsync(WhistleHeader.Select(h => new StyledCell(h, styles.Head)).ToList(), new RowOptions { Height = 32 }, ct);
        StyledCell Rate(double? r, StyleId? style) => r is { } v ? new StyledCell(v, style) : new StyledCell();
        foreach (var w in report.Whistles)
        {
            await spreadsheet.AddRowAsync([new StyledCell(w.Name, null), new StyledCell(w.Whistled, null), new StyledCell(w.Reported, null),
                new StyledCell(w.ReportedOnTime, null), Rate(w.ReportRate, styles.Percent), Rate(w.OnTimeReportRate, styles.Percent)], ct);
        }
        if (report.Whistles.Count == 0)
        {
            await spreadsheet.AddRowAsync([new StyledCell("本期没有吹哨的案件。", styles.Note)], ct);
        }
        else
        {
            var (whistled, reported, onTime) = (report.Whistles.Sum(w => w.Whistled), report.Whistles.Sum(w => w.Reported), report.Whistles.Sum(w => w.ReportedOnTime));
            await spreadsheet.AddRowAsync([new StyledCell("合计", styles.Total), new StyledCell(whistled, styles.Total), new StyledCell(reported, styles.Total),
                new StyledCell(onTime, styles.Total), Rate(StatsFigures.Rate(reported, whistled), styles.Percent),
                Rate(StatsFigures.Rate(onTime, whistled), styles.Percent)], ct);
        }
        var last = SpreadsheetUtility.GetColumnName(WhistleHeader.Length);
        spreadsheet.MergeCells($"A1:{last}1");
        spreadsheet.MergeCells($"A2:{last}2");
    }

    public const string ComparisonSheet = "环比同比";
    private const int ComparisonHeadRows = 4;

    /// <summary>The measures a leader compares, each as 本期, 上期, 环比, 去年同期, 同比.</summary>
    private static readonly (string Name, Func<StatsFigures, double?> Value, bool IsRate)[] Compared =
    [
        ("受理量", f => f.Received, false), ("办结率", f => f.CompletionRate, true), ("满意率", f => f.SatisfactionRate, true),
        ("按时办结率", f => f.ResolvedOnTimeRate, true), ("及时签收率", f => f.AcceptedOnTimeRate, true),
    ];

    /// <summary>
    /// A count's change as a share of the earlier count (null when it was 0); a rate's as percentage points (本期 − 上期,
    /// × 100), since a rate's change in percent of a rate misleads.
    /// </summary>
    public static double? Change(double? now, double? before, bool isRate) => (now, before) switch
    {
        ({ } n, { } b) when isRate => Math.Round((n - b) * 100, 2),
        ({ } n, { } b) when b > 0 => Math.Round((n - b) / b, 4),
        _ => null,
    };

    private static async Task ComparisonSheetAsync(Spreadsheet spreadsheet, StatsReport report, StatsComparison previous, StatsComparison yearBefore,
        IEnumerable<string?> names, (StyleId Title, StyleId Note, StyleId Head, StyleId Percent) styles, CancellationToken ct)
    {
        var options = new SpreadCheetah.Worksheets.WorksheetOptions { FrozenRows = ComparisonHeadRows, FrozenColumns = 1 };
        options.Column(1).Width = PrintableWorkbook.Width(names.Append("名称"), min: 10, max: 40);
        for (var i = 2; i <= 1 + Compared.Length * 5; i++)
        {
            // 本期, 上期, 环比, 去年同期, 同比: the changes' headers say "（百分点）".
            options.Column(i).Width = (i - 2) % 5 is 2 or 4 ? 14 : 10;
        }
        await spreadsheet.StartWorksheetAsync(ComparisonSheet, options, ct);
        var points = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("+0.00;-0.00;0.00") });
        var share = spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.PercentTwoDecimalPlaces) });
        var bold = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        await spreadsheet.AddRowAsync([new StyledCell(Title(report) + " · 环比与同比", styles.Title)], ct);
        await spreadsheet.AddRowAsync([new StyledCell(
            $"上期：{ChineseDate(previous.From)}至{ChineseDate(previous.To)}　去年同期：{ChineseDate(yearBefore.From)}至{ChineseDate(yearBefore.To)}　" +
            "受理量的环比、同比为增减百分比；各项比率的环比、同比为增减的百分点", styles.Note)], ct);
        var twoLines = new RowOptions { Height = 32 };
        await spreadsheet.AddRowAsync([new StyledCell("名称", styles.Head), .. Compared.SelectMany(m => new[] { new StyledCell(m.Name, styles.Head),
            new StyledCell("", styles.Head), new StyledCell("", styles.Head), new StyledCell("", styles.Head), new StyledCell("", styles.Head) })], ct);
        await spreadsheet.AddRowAsync([new StyledCell("", styles.Head), .. Compared.SelectMany(m => new[] { "本期", "上期", m.IsRate ? "环比（百分点）" : "环比",
            "去年同期", m.IsRate ? "同比（百分点）" : "同比" }.Select(h => new StyledCell(h, styles.Head)))], twoLines, ct);
        var groups = report.Groups.Select(g => (Name: g.Name, Now: g, Before: previous.Groups.FirstOrDefault(p => p.Key == g.Key),
            YearAgo: yearBefore.Groups.FirstOrDefault(y => y.Key == g.Key), IsTotal: false));
        foreach (var (name, now, before, yearAgo, isTotal) in groups.Append(("合计", report.Total, previous.Total, yearBefore.Total, true)))
        {
            var cells = new List<StyledCell> { new(name, isTotal ? bold : null) };
            foreach (var (_, value, isRate) in Compared)
            {
                StyledCell Figure(StatsFigures? f) => f is null || value(f) is not { } v ? new StyledCell() : isRate ? new StyledCell(v, styles.Percent) : new StyledCell((int)v, null);
                StyledCell Delta(StatsFigures? f) => Change(value(now), f is null ? (isRate ? null : 0) : value(f), isRate) is { } d
                    ? new StyledCell(d, isRate ? points : share) : new StyledCell();
                cells.AddRange([Figure(now), Figure(before), Delta(before), Figure(yearAgo), Delta(yearAgo)]);
            }
            await spreadsheet.AddRowAsync(cells, ct);
        }
        var last = SpreadsheetUtility.GetColumnName(1 + Compared.Length * 5);
        spreadsheet.MergeCells($"A1:{last}1");
        spreadsheet.MergeCells($"A2:{last}2");
        spreadsheet.MergeCells("A3:A4");
        for (var m = 0; m < Compared.Length; m++)
        {
            spreadsheet.MergeCells($"{SpreadsheetUtility.GetColumnName(2 + m * 5)}3:{SpreadsheetUtility.GetColumnName(6 + m * 5)}3");
        }
    }
}
