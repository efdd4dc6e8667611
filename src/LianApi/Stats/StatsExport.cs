using System.Globalization;
using System.Text;
using SpreadCheetah;

namespace LianApi.Stats;

/// <summary>The monthly report's table: one row per group and the total, the same columns in CSV and xlsx.</summary>
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
            text.Append(string.Join(',', row.Select(Field))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    // Quoted when it could break the row; a leading = + - @ is defused, so a unit name never runs as an Excel formula.
    internal static string Field(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString()!),
    };

    private static string Quote(string text)
    {
        var safe = text.Length > 0 && "=+-@".Contains(text[0]) ? "'" + text : text;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{safe.Replace("\"", "\"\"")}\"" : safe;
    }

    public static async Task<byte[]> XlsxAsync(StatsReport report, CancellationToken ct)
    {
        using var stream = new MemoryStream();
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: ct))
        {
            await spreadsheet.StartWorksheetAsync("统计", token: ct);
            await spreadsheet.AddRowAsync(Header.Select(h => new Cell(h)).ToList(), ct);
            foreach (var row in Rows(report))
            {
                await spreadsheet.AddRowAsync(row.Select(value => value switch
                {
                    null => new Cell(),
                    int i => new Cell(i),
                    double d => new Cell(d),
                    _ => new Cell(value.ToString()),
                }).ToList(), ct);
            }
            await spreadsheet.FinishAsync(ct);
        }
        return stream.ToArray();
    }
}
