using System.ComponentModel;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.QrCodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LianApi.Posters;

public sealed record PosterQuery(
    [property: Description("pdf (default) or png")] string? Format,
    [property: Description("link (default) or wxacode")] string? Kind,
    [property: Description("PNG resolution, 72–600 dpi (default 150)")] int? Dpi);

public sealed record PrintSetQuery(
    [property: Description("Only this street's communities")] string? StreetCode,
    [property: Description("pdf (one page per community, default) or zip (one PNG per community)")] string? Format,
    [property: Description("link (default) or wxacode")] string? Kind,
    [property: Description("PNG resolution for zip, 72–300 dpi (default 150)")] int? Dpi);

public static class PostersApi
{
    public static RouteGroupBuilder MapPosters(this IEndpointRouteBuilder routes)
    {
        // Codes and posters carry nothing private: they are printed and hung on walls.
        var group = routes.MapGroup("/api").WithTags("QR codes and posters").AllowAnonymous();

        group.MapGet("/communities/{code}/poster", GetPoster)
            .WithName(nameof(GetPoster))
            .WithSummary("A community's print-ready poster (A4 by default) with its code, names, instruction and emergency hotlines")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf", additionalContentTypes: ["image/png"])
            .ProducesStandardProblems(400, 404, 503);

        group.MapGet("/posters", GetPrintSet)
            .WithName(nameof(GetPrintSet))
            .WithSummary("The print set: every community's poster (or one street's) as one multi-page PDF or a zip of PNGs")
            .RequireRateLimiting(RateLimits.PrintSet)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf", additionalContentTypes: ["application/zip"])
            .ProducesStandardProblems(400, 429, 503)
            // Rendering 131 posters (and fetching their wxacodes the first time) takes longer than an API call.
            .WithRequestTimeout(TimeSpan.FromMinutes(3));

        return group;
    }

    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetPoster(
        string code, [AsParameters] PosterQuery query, HttpContext http, CommunityStore org, PosterService posters, PosterRenderer renderer,
        CancellationToken ct)
    {
        var kind = ImageResponses.ParseKind(query.Kind);
        var format = query.Format ?? "pdf";
        var dpi = query.Dpi ?? PosterService.DefaultDpi;
        if (kind is null || format is not ("pdf" or "png") || dpi is < 72 or > 600)
        {
            return Problems.BadRequest("query", "format: pdf | png; kind: link | wxacode; dpi: 72–600.");
        }
        if (await org.FindCommunityAsync(code, ct) is not { } community)
        {
            return Problems.NotFound($"There is no community with the code '{code}'.");
        }
        var content = await posters.ContentAsync(community, kind.Value, ct);
        return format == "pdf"
            ? ImageResponses.Cached(http, renderer.Pdf(content), "application/pdf", $"{community.Code}-{community.Name}.pdf")
            : ImageResponses.Cached(http, renderer.Png(content, dpi), "image/png", $"{community.Code}-{community.Name}.png");
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetPrintSet(
        [AsParameters] PrintSetQuery query, PosterService posters, CancellationToken ct)
    {
        var kind = ImageResponses.ParseKind(query.Kind);
        var format = query.Format ?? "pdf";
        var dpi = query.Dpi ?? PosterService.DefaultDpi;
        if (kind is null || format is not ("pdf" or "zip") || dpi is < 72 or > 300)
        {
            return Problems.BadRequest("query", "format: pdf | zip; kind: link | wxacode; dpi: 72–300.");
        }
        var set = await posters.PrintSetAsync(query.StreetCode, kind.Value, ct);
        if (set.Count == 0)
        {
            return Problems.BadRequest("streetCode", $"There are no communities{(query.StreetCode is null ? "" : $" in street '{query.StreetCode}'")}.");
        }
        var name = $"posters-{query.StreetCode ?? "all"}";
        // Rendered to a temporary file that disappears once sent: a print set is tens of MB, not for the heap.
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        if (format == "pdf")
        {
            posters.WritePdf(file, set.Select(p => p.Poster), ct);
        }
        else
        {
            posters.WriteZip(file, set, dpi, ct);
        }
        file.Position = 0;
        return format == "pdf"
            ? TypedResults.Stream(file, "application/pdf", name + ".pdf")
            : TypedResults.Stream(file, "application/zip", name + ".zip");
    }
}
