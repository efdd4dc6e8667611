using System.Globalization;
using LianApi.Notifications.Wecom;
using LianApi.Shared;
using Microsoft.Extensions.Options;

namespace LianApi.Reports;

/// <summary>
/// Writes a report (figures read once, drawn as PDF and workbook, kept in one row) and, where WeCom is on, queues one card
/// per configured recipient through the WeCom outbox, keyed so a regenerated report never tells anyone twice.
/// </summary>
public sealed class DailyReportService(DailyReportBuilder builder, DailyReportStore store, WecomStore wecom, IOptionsMonitor<DailyReportOptions> options,
    IOptionsMonitor<WecomOptions> wecomOptions, TimeProvider time, ILogger<DailyReportService> logger)
{
    /// <summary>Generates (or regenerates) the report of the period <paramref name="date"/> falls in, and queues its cards.</summary>
    public async Task<DailyReport> GenerateAsync(string kind, DateOnly date, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var report = await builder.BuildAsync(kind, date, now, ct);
        var pdf = DailyReportPdf.Render(report);
        var xlsx = await DailyReportXlsx.RenderAsync(report, ct);
        await store.SaveAsync(report, pdf, xlsx, ct);
        var cards = await QueueCardsAsync(report, now, ct);
        logger.LogInformation("Wrote the {Kind} report of {From:yyyy-MM-dd}–{To:yyyy-MM-dd} ({Pdf} bytes PDF, {Xlsx} bytes xlsx), {Cards} WeCom card(s) queued",
            kind, report.From, report.To, pdf.Length, xlsx.Length, cards);
        return report;
    }

    /// <summary>
    /// The periods due at <paramref name="now"/> that are not kept yet, each written once: only the latest due period of
    /// each kind, so an app that was down catches up the missed day (or week) and never a backlog.
    /// </summary>
    public async Task<int> RunDueAsync(DateTime now, CancellationToken ct)
    {
        var written = 0;
        foreach (var (kind, date) in Due(now, options.CurrentValue))
        {
            if (!await store.ExistsAsync(kind, date, ct))
            {
                await GenerateAsync(kind, date, ct);
                written++;
            }
        }
        logger.LogDebug("Looked for due reports at {Now:yyyy-MM-dd HH:mm} UTC: {Written} written", now, written);
        return written;
    }

    /// <summary>
    /// The first day of the latest period of each kind whose report is due at <paramref name="now"/>: yesterday's from
    /// DailyAt (before it, the day before's); the ISO week before from DailyAt on WeeklyOn (before it, the week before that).
    /// </summary>
    public static IEnumerable<(string Kind, DateOnly Date)> Due(DateTime now, DailyReportOptions o)
    {
        var local = ChinaTime.ToChina(now);
        var today = DateOnly.FromDateTime(local);
        var beforeTime = TimeOnly.FromDateTime(local) < o.DailyAt;
        yield return (ReportKinds.Daily, today.AddDays(beforeTime ? -2 : -1));
        var (thisMonday, _) = ReportKinds.PeriodOf(ReportKinds.Weekly, today);
        var dueDay = thisMonday.AddDays(((int)o.WeeklyOn + 6) % 7);
        if (dueDay > today || (dueDay == today && beforeTime))
        {
            dueDay = dueDay.AddDays(-7);
        }
        var (dueWeekMonday, _) = ReportKinds.PeriodOf(ReportKinds.Weekly, dueDay);
        yield return (ReportKinds.Weekly, dueWeekMonday.AddDays(-7));
    }

    /// <summary>One card per recipient: the title, four headline figures with 环比, and the PDF in the console.</summary>
    private async Task<int> QueueCardsAsync(DailyReport report, DateTime now, CancellationToken ct)
    {
        var w = wecomOptions.CurrentValue;
        var recipients = options.CurrentValue.Recipients;
        if (!w.Enabled || recipients.Count == 0)
        {
            return 0;
        }
        var link = $"{w.ConsoleBaseUrl.TrimEnd('/')}/data/reports/{report.Kind}/{report.From:yyyy-MM-dd}.{DailyReportFormats.Pdf}";
        var lines = string.Join('\n', CardLines(report));
        var queued = 0;
        foreach (var to in recipients)
        {
            var facts = new Dictionary<string, string>
            {
                [WecomFacts.To] = to,
                [WecomFacts.Title] = report.Title,
                [WecomFacts.Lines] = lines,
                [WecomFacts.Link] = link,
            };
            if (await wecom.InsertOnceAsync(new KeyedMessage(WecomEvents.Report, null, null, facts, HandlingLevel.District, null, CardKey(report, to)), now, ct))
            {
                queued++;
            }
        }
        return queued;
    }

    public static string CardKey(DailyReport report, string to) =>
        string.Create(CultureInfo.InvariantCulture, $"report:{report.Kind}:{report.From:yyyyMMdd}:{to}");

    /// <summary>受理量, 办结率, 满意率 with 环比, and the overdue cases now: what a leader reads on a phone.</summary>
    public static IEnumerable<string> CardLines(DailyReport report)
    {
        var previous = report.Kind == ReportKinds.Weekly ? "较上周" : "较前日";
        foreach (var h in report.Headline.Where(h => h.Name is "受理量" or "办结率" or "满意率"))
        {
            yield return $"{h.Name}：{DailyReportPdf.Figure(h.Now, h.IsRate)}（{previous} {DailyReportPdf.Change(h.ChangeOnPrevious, h.IsRate)}）";
        }
        yield return $"当前超期：{report.Overdue.Count}{(report.OverdueCapped ? "+" : "")} 件";
    }
}
