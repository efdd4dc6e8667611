using System.ComponentModel;
using System.Security.Cryptography;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.QrCodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LianApi.Posters;

public sealed record QrCodeQuery(
    [property: Description("link (plain QR code of QrCodes__LinkPrefix + code) or wxacode (WeChat mini-program code)")] string? Kind,
    [property: Description("png or svg (svg only for link codes)")] string? Format,
    [property: Description("Width in pixels, 64–4096 (default 512); a PNG uses whole pixels per module")] int? Size,
    [property: Description("Quiet zone in modules, 0–16 (default 4, what scanners expect)")] int? Margin);

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
    public const string PrintSetPolicy = "print-set";

    public static RouteGroupBuilder MapPosters(this IEndpointRouteBuilder routes)
    {
        // Codes and posters carry nothing private: they are printed and hung on walls.
        var group = routes.MapGroup("/api").WithTags("QR codes and posters").AllowAnonymous();

        group.MapGet("/communities/{code}/qrcode", GetQrCode)
            .WithName(nameof(GetQrCode))
            .WithSummary("A community's QR code: the plain link code or the WeChat mini-program code")
            .Produces(StatusCodes.Status200OK, contentType: "image/png", additionalContentTypes: ["image/svg+xml"])
            .Produces(StatusCodes.Status304NotModified)
            .ProducesStandardProblems(400, 404, 503);

        group.MapGet("/communities/{code}/poster", GetPoster)
            .WithName(nameof(GetPoster))
            .WithSummary("A community's print-ready poster (A4 by default) with its code, names, instruction and emergency hotlines")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf", additionalContentTypes: ["image/png"])
            .ProducesStandardProblems(400, 404, 503);

        group.MapGet("/posters", GetPrintSet)
            .WithName(nameof(GetPrintSet))
            .WithSummary("The print set: every community's poster (or one street's) as one multi-page PDF or a zip of PNGs")
            .RequireRateLimiting(PrintSetPolicy)
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf", additionalContentTypes: ["application/zip"])
            .ProducesStandardProblems(400, 429, 503)
            // Rendering 131 posters (and fetching their wxacodes the first time) takes longer than an API call.
            .WithRequestTimeout(TimeSpan.FromMinutes(3));

        return group;
    }

    /// <summary>Publishes the verification file the WeChat console asks for before the link rule can go live.</summary>
    public static IEndpointRouteBuilder MapWechatVerificationFile(this IEndpointRouteBuilder routes, QrCodeOptions options)
    {
        if (options.VerificationFileName is not { } name || options.VerificationFileContent is not { } content)
        {
            return routes;
        }
        // WeChat looks in the last directory of the rule URL, or the site root; both are served.
        var directory = new Uri(options.LinkPrefix).AbsolutePath;
        foreach (var path in new[] { "/" + name, directory + name }.Distinct())
        {
            routes.MapGet(path, () => TypedResults.Text(content, "text/plain")).AllowAnonymous().ExcludeFromDescription();
        }
        return routes;
    }

    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetQrCode(
        string code, [AsParameters] QrCodeQuery query, HttpContext http, CommunityStore org, QrCodeService codes, CancellationToken ct)
    {
        var kind = ParseKind(query.Kind);
        var format = query.Format ?? "png";
        var size = query.Size ?? 512;
        var margin = query.Margin ?? 4;
        if (kind is null || format is not ("png" or "svg") || size is < 64 or > 4096 || margin is < 0 or > 16)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["query"] = ["kind: link | wxacode; format: png | svg; size: 64–4096; margin: 0–16"],
            }, StatusCodes.Status400BadRequest);
        }
        if (kind == CodeKind.Wxacode && format == "svg")
        {
            return Problems.BadRequest("format", "WeChat's mini-program code is an image: ask for format=png.");
        }
        if (await org.FindCommunityAsync(code, ct) is not { } community)
        {
            return Problems.NotFound($"There is no community with the code '{code}'.");
        }

        byte[] body;
        var contentType = "image/png";
        if (kind == CodeKind.Link)
        {
            var matrix = codes.LinkMatrix(community.Code);
            (body, contentType) = format == "svg"
                ? (System.Text.Encoding.UTF8.GetBytes(QrImages.Svg(matrix, margin)), "image/svg+xml")
                : (QrImages.Png(matrix, size, margin), "image/png");
        }
        else
        {
            var image = await codes.WxaCodeAsync(community, ct);
            if (image.IsEmulated)
            {
                http.Response.Headers["X-Lian-Emulated"] = "true";
            }
            body = query.Size is null ? image.Png : Resize(image.Png, size);
        }
        return Cached(http, body, contentType, fileName: null);
    }

    public static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetPoster(
        string code, [AsParameters] PosterQuery query, HttpContext http, CommunityStore org, PosterService posters, PosterRenderer renderer,
        CancellationToken ct)
    {
        var kind = ParseKind(query.Kind);
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
            ? Cached(http, renderer.Pdf(content), "application/pdf", $"{community.Code}-{community.Name}.pdf")
            : Cached(http, renderer.Png(content, dpi), "image/png", $"{community.Code}-{community.Name}.png");
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetPrintSet(
        [AsParameters] PrintSetQuery query, PosterService posters, CancellationToken ct)
    {
        var kind = ParseKind(query.Kind);
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

    private static CodeKind? ParseKind(string? kind) => kind switch
    {
        null or "link" => CodeKind.Link,
        "wxacode" => CodeKind.Wxacode,
        _ => null,
    };

    /// <summary>The same bytes always get the same ETag, so printers and browsers revalidate instead of downloading.</summary>
    private static Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult> Cached(HttpContext http, byte[] body, string contentType, string? fileName)
    {
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"");
        http.Response.Headers.CacheControl = "public, max-age=3600";
        if (http.Request.Headers.IfNoneMatch.Any(v => v == etag.Tag.Value || v == "*"))
        {
            http.Response.Headers.ETag = etag.Tag.Value;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.File(body, contentType, fileName, entityTag: etag);
    }

    private static byte[] Resize(byte[] png, int size)
    {
        using var source = SkiaSharp.SKBitmap.Decode(png);
        using var resized = source.Resize(new SkiaSharp.SKImageInfo(size, size), new SkiaSharp.SKSamplingOptions(SkiaSharp.SKCubicResampler.Mitchell));
        using var encoded = resized.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }
}
