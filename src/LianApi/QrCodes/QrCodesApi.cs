using System.ComponentModel;
using LianApi.Communities;
using LianApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.QrCodes;

public sealed record QrCodeQuery(
    [property: Description("link (plain QR code of QrCodes__LinkPrefix + code) or wxacode (WeChat mini-program code)")] string? Kind,
    [property: Description("png or svg (svg only for link codes)")] string? Format,
    [property: Description("Width in pixels, 64–4096 (default 512); a PNG uses whole pixels per module")] int? Size,
    [property: Description("Quiet zone in modules, 0–16 (default 4, what scanners expect)")] int? Margin);

public static class QrCodesApi
{
    public static RouteGroupBuilder MapQrCodes(this IEndpointRouteBuilder routes)
    {
        // Codes carry nothing private: they are printed and hung on walls.
        var group = routes.MapGroup("/api").WithTags("QR codes and posters").AllowAnonymous();

        group.MapGet("/communities/{code}/qrcode", GetQrCode)
            .WithName(nameof(GetQrCode))
            .WithSummary("A community's QR code: the plain link code or the WeChat mini-program code")
            .Produces(StatusCodes.Status200OK, contentType: "image/png", additionalContentTypes: ["image/svg+xml"])
            .Produces(StatusCodes.Status304NotModified)
            .ProducesStandardProblems(400, 404, 503);

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
        var kind = ImageResponses.ParseKind(query.Kind);
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
        return ImageResponses.Cached(http, body, contentType, fileName: null);
    }

    private static byte[] Resize(byte[] png, int size)
    {
        using var source = SkiaSharp.SKBitmap.Decode(png);
        using var resized = source.Resize(new SkiaSharp.SKImageInfo(size, size), new SkiaSharp.SKSamplingOptions(SkiaSharp.SKCubicResampler.Mitchell));
        using var encoded = resized.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }
}
