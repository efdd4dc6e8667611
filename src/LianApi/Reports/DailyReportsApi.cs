using System.ComponentModel;
using System.Globalization;
using LianApi.Infrastructure;
using LianApi.Resources;
using LianApi.Shared;
using LianApi.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LianApi.Reports;

/// <summary>A kept report as the list shows it, with where its two files are.</summary>
public sealed record KeptReportItem(
    [property: OpenApiEnum(ReportKinds.Daily, ReportKinds.Weekly)]
    [property: Description("daily (日报: one Beijing day) | weekly (周报: an ISO week, Monday to Sunday)")] string Kind,
    [property: Description("First day of the period (Beijing); a weekly report's Monday")] DateOnly From,
    [property: Description("Last day of the period (Beijing), inclusive")] DateOnly To,
    string Title,
    DateTimeOffset GeneratedAt,
    [property: Description("GET this for the PDF (A4 landscape, fonts embedded)")] string PdfUrl,
    [property: Description("GET this for the workbook (概况, 街道, 部门, 超期件, 热点)")] string XlsxUrl);

public sealed record KeptReportList(IReadOnlyList<KeptReportItem> Items);

public static class DailyReportsApi
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/staff/reports")
            .WithTag("Staff reports", "The district's daily and weekly reports (日报/周报), generated at the configured time and kept as PDF and xlsx (dispatch center and admins)")
            .RequireActiveStaff();
        group.MapGet("/", ListReports)
            .WithName(nameof(ListReports))
            .WithSummary("The kept daily and weekly reports, the latest period first")
            .ProducesStandardProblems(400, 403);
        group.MapGet("/{kind}/{date}.{format}", GetReportFile)
            .WithName(nameof(GetReportFile))
            .WithSummary("One kept report as PDF or xlsx: daily/2026-12-07.pdf, weekly/2026-11-30.xlsx (any day of the week names its week)")
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf", DailyReportFormats.ContentType(DailyReportFormats.Xlsx))
            .ProducesStandardProblems(400, 403, 404)
            .ProducesHeader(StatusCodes.Status200OK, HeaderNames.ContentDisposition, "attachment; filename=report-KIND-FROM.pdf (or .xlsx)", required: true);
        return group;
    }

    public static async Task<Results<Ok<KeptReportList>, ProblemHttpResult>> ListReports(
        [Description("daily or weekly; both when absent")] string? kind, StaffMember staff, DailyReportStore store, CancellationToken ct)
    {
        if (!staff.SeesEverything)
        {
            return Problems.Forbidden(Messages.ReportsNotForRole, ProblemCodes.Forbidden);
        }
        if (kind is not null && !ReportKinds.All.Contains(kind))
        {
            return Problems.BadRequest("kind", Messages.FieldReportKind);
        }
        var kept = await store.ListAsync(kind, ct);
        return TypedResults.Ok(new KeptReportList(kept.Select(k => new KeptReportItem(k.Kind, k.From, k.To, k.Title, k.GeneratedAt.AsChinaTime(),
            FileUrl(k.Kind, k.From, DailyReportFormats.Pdf), FileUrl(k.Kind, k.From, DailyReportFormats.Xlsx))).ToList()));
    }

    public static string FileUrl(string kind, DateOnly from, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/staff/reports/{kind}/{from:yyyy-MM-dd}.{format}");

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetReportFile(
        [Description("daily or weekly")] string kind,
        [Description("A Beijing date, yyyy-MM-dd: the day of a daily report, any day of a weekly report's week")] string date,
        [Description("pdf or xlsx")] string format,
        StaffMember staff, DailyReportStore store, CancellationToken ct)
    {
        if (!staff.SeesEverything)
        {
            return Problems.Forbidden(Messages.ReportsNotForRole, ProblemCodes.Forbidden);
        }
        if (!ReportKinds.All.Contains(kind))
        {
            return Problems.BadRequest("kind", Messages.FieldReportKind);
        }
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || !ChinaTime.IsInputDay(day))
        {
            return Problems.BadRequest("date", Messages.FieldReportDate);
        }
        if (format is not (DailyReportFormats.Pdf or DailyReportFormats.Xlsx))
        {
            return Problems.BadRequest("format", Messages.FieldReportFormat);
        }
        var (from, to) = ReportKinds.PeriodOf(kind, day);
        return await store.FileAsync(kind, from, format, ct) is { } bytes
            ? TypedResults.File(bytes, DailyReportFormats.ContentType(format), $"report-{kind}-{from:yyyyMMdd}.{format}")
            : Problems.NotFound(Text.Format(Messages.ReportNotGenerated, ReportKinds.Title(kind, from, to)));
    }
}
