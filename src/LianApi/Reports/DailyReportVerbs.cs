using System.CommandLine;
using System.Globalization;
using LianApi.Shared;

namespace LianApi.Reports;

/// <summary><c>report daily|weekly [--date yyyy-MM-dd] [--out DIR]</c>: writes (or rewrites) a report now, keeps it, and saves its files.</summary>
internal static class DailyReportVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var report = new Command("report", "Generate (or regenerate) the daily or weekly report, keep it for download and write its PDF and xlsx.");
        foreach (var kind in ReportKinds.All)
        {
            var date = new Option<string?>("--date")
            {
                Description = kind == ReportKinds.Daily ? "The day (Beijing), yyyy-MM-dd; default yesterday" : "Any day of the ISO week (Beijing), yyyy-MM-dd; default last week",
                HelpName = "yyyy-MM-dd",
            };
            var output = new Option<string?>("--out") { Description = "The folder the PDF and xlsx are written to; default the current folder", HelpName = "DIR" };
            var command = new Command(kind, kind == ReportKinds.Daily ? "日报: one Beijing day." : "周报: one ISO week, Monday to Sunday.") { date, output };
            command.SetAction(async (parsed, ct) =>
            {
                var text = parsed.GetValue(date);
                DateOnly day;
                if (text is null)
                {
                    var today = DateOnly.FromDateTime(ChinaTime.ToChina(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
                    day = kind == ReportKinds.Daily ? today.AddDays(-1) : today.AddDays(-7);
                }
                else if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) || !ChinaTime.IsInputDay(day))
                {
                    Console.Error.WriteLine($"--date '{text}' is not a date such as 2026-12-07.");
                    return 1;
                }
                var folder = Path.GetFullPath(parsed.GetValue(output) ?? ".");
                Directory.CreateDirectory(folder);
                var written = await services.GetRequiredService<DailyReportService>().GenerateAsync(kind, day, ct);
                var store = services.GetRequiredService<DailyReportStore>();
                foreach (var format in new[] { DailyReportFormats.Pdf, DailyReportFormats.Xlsx })
                {
                    var path = Path.Combine(folder, $"report-{kind}-{written.From:yyyyMMdd}.{format}");
                    await File.WriteAllBytesAsync(path, (await store.FileAsync(kind, written.From, format, ct))!, ct);
                    Console.WriteLine(path);
                }
                Console.WriteLine($"{written.Title}: kept for download ({written.Overdue.Count} overdue case(s), {written.Rising.Count} rising problem(s)).");
                return 0;
            });
            report.Subcommands.Add(command);
        }
        return report;
    }
}
