using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Infrastructure;
using LianApi.Resources;
using LianApi.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LianApi.Stats;

public static class StatsApi
{
    public const string DistrictName = "莲湖区";

    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/stats")
            .WithTag("Statistics", "The district's published figures for the mini-program's home page (no token needed)")
            .AllowAnonymous()
            .MapGet("/public", GetPublicStats)
            .WithName(nameof(GetPublicStats))
            .WithSummary("This year's and all-time received, handled, completion and satisfaction of the district (cached for a minute)");

        var staff = routes.MapGroup("/api/staff/stats")
            .WithTag("Staff statistics", "三率 and 零遗漏/零延误/零差评 by unit, category and period, scoped like the inbox (staff token)")
            .RequireActiveStaff();
        staff.MapGet("/", GetStats)
            .WithName(nameof(GetStats))
            .WithSummary("The measures of the caller's scope (a community itself, a street its communities, a department itself, the dispatch center everything), grouped and ranked")
            .ProducesStandardProblems(400, 404);
        staff.MapGet("/hotspots", GetHotspots)
            .WithName(nameof(GetHotspots))
            .WithSummary("热点: the community × category pairs that rose most against the previous period, and grids and addresses reported " +
                         Hotspots.RepeatsText + " times or more in 30 days — the agenda of a deliberation meeting (议事会/板凳会)")
            .WithDescription("The caller's scope (the dispatch center everything, a street its communities, a community itself; a department is refused). " +
                             "Default period: the 30 days ending today (Beijing).")
            .ProducesStandardProblems(400, 403);
        staff.MapGet("/export", ExportStats)
            .WithName(nameof(ExportStats))
            .WithSummary("The same figures as a file for the monthly report: CSV (UTF-8 with BOM, opens in Excel) or xlsx")
            .Produces<Stream>(StatusCodes.Status200OK, "text/csv", StatsExport.XlsxContentType)
            .ProducesStandardProblems(400, 404)
            .ProducesHeader(StatusCodes.Status200OK, HeaderNames.ContentDisposition, "attachment; filename=stats-SCOPE-FROM-TO.csv (or .xlsx)", required: true);
        return routes;
    }

    public static async Task<Ok<PublicStats>> GetPublicStats(PublicStatsReader figures, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = $"public, max-age={(int)PublicStatsReader.Lifetime.TotalSeconds}";
        return TypedResults.Ok(await figures.GetAsync(ct));
    }

    public static async Task<Results<Ok<StatsReport>, ProblemHttpResult>> GetStats(
        [AsParameters] StatsQuery query, StaffMember staff, StatsReader reader, CancellationToken ct) =>
        await reader.ReportAsync(staff, query, ct) switch
        {
            { Report: { } report } => TypedResults.Ok(report),
            { Problem: var problem } => problem!,
        };

    public static async Task<Results<Ok<Hotspots>, ProblemHttpResult>> GetHotspots(
        [Description("First day of the period (Beijing), inclusive; default 29 days before to")] DateOnly? from,
        [Description("Last day of the period (Beijing), inclusive; default today")] DateOnly? to,
        StaffMember staff, StatsReader reader, CancellationToken ct) =>
        await reader.HotspotsAsync(staff, from, to, ct) switch
        {
            { Hotspots: { } hotspots } => TypedResults.Ok(hotspots),
            { Problem: var problem } => problem!,
        };

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportStats(
        [AsParameters] StatsQuery query,
        [Description("csv (default) or xlsx")][AllowedValues(null, "csv", "xlsx", ErrorMessage = ValidationMessages.StatsFormat)] string? format,
        StaffMember staff, StatsReader reader, TimeProvider time, CancellationToken ct)
    {
        // The workbook is the leader's report: it always compares with the period before and the year before.
        var (report, problem) = await reader.ReportAsync(staff, format == "xlsx" ? query with { Compare = true } : query, ct);
        if (report is null)
        {
            return problem!;
        }
        var name = $"stats-{report.Scope.Code ?? "district"}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}";
        return format == "xlsx"
            ? TypedResults.File(await StatsExport.XlsxAsync(report, time.GetUtcNow().UtcDateTime, ct), StatsExport.XlsxContentType, name + ".xlsx")
            : TypedResults.File(StatsExport.Csv(report), "text/csv; charset=utf-8", name + ".csv");
    }
}
