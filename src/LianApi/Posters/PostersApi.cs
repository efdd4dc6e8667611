using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.QrCodes;
using LianApi.Resources;
using LianApi.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LianApi.Posters;

public sealed record PosterQuery(
    [property: Description("pdf (default) or png")]
    [property: AllowedValues(null, "pdf", "png", ErrorMessage = ValidationMessages.PosterFormat)] string? Format,
    [property: Description("link (default) or wxacode")]
    [property: AllowedValues(null, "link", "wxacode", ErrorMessage = ValidationMessages.CodeKind)] string? Kind,
    [property: Description("PNG resolution: screen (96 dpi, default) or print (300 dpi); the PDF is vector")]
    [property: AllowedValues(null, PosterPresets.Screen, PosterPresets.Print, ErrorMessage = ValidationMessages.PosterPreset)] string? Preset);

public sealed record PrintSetQuery(
    [property: Description("Only this street's communities")] string? StreetCode,
    [property: Description("pdf (one page per community, default) or zip (one PNG per community)")]
    [property: AllowedValues(null, "pdf", "zip", ErrorMessage = ValidationMessages.PrintSetFormat)] string? Format,
    [property: Description("link (default) or wxacode")]
    [property: AllowedValues(null, "link", "wxacode", ErrorMessage = ValidationMessages.CodeKind)] string? Kind,
    [property: Description("PNG resolution in the zip: screen (96 dpi, default) or print (300 dpi)")]
    [property: AllowedValues(null, PosterPresets.Screen, PosterPresets.Print, ErrorMessage = ValidationMessages.PosterPreset)] string? Preset);

public static class PostersApi
{
    public static RouteGroupBuilder MapPosters(this IEndpointRouteBuilder routes)
    {
        // A community's poster carries nothing private: it is printed and hung on walls.
        var group = routes.MapGroup("/api").WithTags(QrCodesApi.Tag).AllowAnonymous();

        group.MapGet("/communities/{code}/poster", GetPoster)
            .WithName(nameof(GetPoster))
            .WithSummary("A community's print-ready poster (A4 by default) with its code, names, instruction and emergency hotlines")
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf", "image/png")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesStandardProblems(400, 404, 503)
            .ProducesHeader(StatusCodes.Status200OK, HeaderNames.ETag, ImageResponses.ETagDescription, required: true)
            .ProducesHeader(StatusCodes.Status304NotModified, HeaderNames.ETag, ImageResponses.ETagDescription, required: true)
            .ProducesHeader(StatusCodes.Status200OK, HeaderNames.ContentDisposition, "attachment; filename=COMMUNITY-CODE.pdf (or .png)", required: true);

        // Every community's poster at once is an ops job: minutes of drawing, so only the district's operators may start one.
        var ops = routes.MapGroup("/api").WithTags(QrCodesApi.Tag).RequireActiveStaff();

        ops.MapGet("/posters", GetPrintSet)
            .WithName(nameof(GetPrintSet))
            .WithSummary("The print set (dispatcher or admin): every community's poster (or one street's) as one multi-page PDF or a zip of PNGs")
            .RequireRateLimiting(RateLimits.PrintSet)
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf", "application/zip")
            .ProducesStandardProblems(400, 429, 503)
            .ProducesHeader(StatusCodes.Status200OK, HeaderNames.ContentDisposition, "attachment; filename=posters-STREET.pdf (or .zip; posters-all when no street)", required: true)
            // Drawing 131 posters (and fetching their wxacodes the first time) takes longer than an API call.
            .WithRequestTimeout(TimeSpan.FromMinutes(3));

        return group;
    }

    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetPoster(
        string code, [AsParameters] PosterQuery query, HttpContext http, CommunityStore org, PosterService posters, RenderedImages images,
        CancellationToken ct)
    {
        if (ImageResponses.RemovedParameter(http, ["dpi"], "preset=screen|print") is { } removed)
        {
            return removed;
        }
        if (await org.FindCommunityAsync(code, ct) is not { } community)
        {
            return Problems.NotFound(Text.Format(Messages.CommunityNotFound, code));
        }
        var kind = ImageResponses.ParseKind(query.Kind);
        var format = query.Format ?? "pdf";
        var preset = query.Preset ?? PosterPresets.Screen;
        CodeImage? wxacode = null;
        if (kind == CodeKind.Wxacode && (wxacode = await images.WxaCodeAsync(community, ct)) is null)
        {
            return images.Busy(http);
        }
        var poster = await posters.ContentAsync(community, kind, wxacode, ct);
        var image = posters.Describe(community, poster, kind, format, preset);
        return await images.ServeAsync(http, image, $"{ImageResponses.SafeName(community.Code)}.{format}",
            token => posters.Render(poster, format, preset, token), ct);
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetPrintSet(
        [AsParameters] PrintSetQuery query, HttpContext http, StaffMember staff, CommunityStore org, PosterService posters, RenderGate gate, CancellationToken ct)
    {
        if (staff.Role is not (StaffRoles.Dispatcher or StaffRoles.Admin))
        {
            return Problems.Forbidden(Messages.PrintSetForbidden, ProblemCodes.Forbidden);
        }
        if (ImageResponses.RemovedParameter(http, ["dpi"], "preset=screen|print") is { } removed)
        {
            return removed;
        }
        var communities = await org.ListCommunitiesAsync(query.StreetCode, ct);
        if (communities.Count == 0)
        {
            return Problems.BadRequest("streetCode", query.StreetCode is null ? Messages.NoCommunities : Text.Format(Messages.NoCommunitiesInStreet, query.StreetCode));
        }
        var kind = ImageResponses.ParseKind(query.Kind);
        var format = query.Format ?? "pdf";
        // The whole set is one drawing job: one slot, held until the last poster is written.
        using var slot = await gate.TryEnterAsync(ct);
        if (slot is null)
        {
            return gate.Busy(http);
        }
        var name = $"posters-{ImageResponses.SafeName(query.StreetCode ?? "all")}";
        // Written to a temporary file that disappears once sent: a print set is tens of MB, not for the heap.
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var handedOver = false;
        try
        {
            if (format == "pdf")
            {
                await posters.WritePdfAsync(file, communities, kind, ct);
            }
            else
            {
                await posters.WriteZipAsync(file, communities, kind, query.Preset ?? PosterPresets.Screen, ct);
            }
            file.Position = 0;
            handedOver = true;
            return format == "pdf"
                ? TypedResults.Stream(file, "application/pdf", name + ".pdf")
                : TypedResults.Stream(file, "application/zip", name + ".zip");
        }
        finally
        {
            // Cancelled or failed half-way: the partial file goes now, not whenever the finalizer runs.
            if (!handedOver)
            {
                await file.DisposeAsync();
            }
        }
    }
}
