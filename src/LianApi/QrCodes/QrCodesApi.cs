using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LianApi.QrCodes;

public sealed record QrCodeQuery(
    [property: Description("link (default; plain QR code of QrCodes__LinkPrefix + code) or wxacode (WeChat mini-program code)")]
    [property: AllowedValues(null, "link", "wxacode", ErrorMessage = ValidationMessages.CodeKind)] string? Kind,
    [property: Description("png (default) or svg (link codes only; a vector, so the preset does not apply)")]
    [property: AllowedValues(null, "png", "svg", ErrorMessage = ValidationMessages.CodeFormat)] string? Format,
    [property: Description("small (256 px), medium (512 px, default) or large (1024 px); a PNG uses whole pixels per module, quiet zone 4 modules")]
    [property: AllowedValues(null, CodePresets.Small, CodePresets.Medium, CodePresets.Large, ErrorMessage = ValidationMessages.CodePreset)] string? Preset)
    : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == "wxacode" && Format == "svg")
        {
            yield return new ValidationResult(ValidationMessages.WxacodeFormat, [nameof(Format)]);
        }
    }
}

public static class QrCodesApi
{
    public const string Tag = "QR codes and posters";

    public static RouteGroupBuilder MapQrCodes(this IEndpointRouteBuilder routes)
    {
        // Codes carry nothing private: they are printed and hung on walls.
        var group = routes.MapGroup("/api")
            .WithTag(Tag, "A community's QR codes and print-ready posters (no token needed: they hang on walls), and the print set for ops")
            .AllowAnonymous();

        group.MapGet("/communities/{code}/qrcode", GetQrCode)
            .WithName(nameof(GetQrCode))
            .WithSummary("A community's QR code: the plain link code or the WeChat mini-program code")
            .Produces<Stream>(StatusCodes.Status200OK, "image/png", "image/svg+xml")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesStandardProblems(400, 404, 503)
            .ProducesHeader(StatusCodes.Status200OK, HeaderNames.ETag, ImageResponses.ETagDescription, required: true)
            .ProducesHeader(StatusCodes.Status304NotModified, HeaderNames.ETag, ImageResponses.ETagDescription, required: true)
            .ProducesEmulatedHeader(StatusCodes.Status200OK, StatusCodes.Status304NotModified, StatusCodes.Status503ServiceUnavailable);

        return group;
    }

    /// <summary>The emulator's stand-in wxacode is marked, so nobody prints it by mistake.</summary>
    private static RouteHandlerBuilder ProducesEmulatedHeader(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            builder.ProducesHeader(status, EmulatedHeaderName, "Present on a wxacode drawn by the WeChat emulator (Development): not a real mini-program code", onlyValue: "true");
        }
        return builder;
    }

    public const string EmulatedHeaderName = "X-Lian-Emulated";

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
        string code, [AsParameters] QrCodeQuery query, HttpContext http, CommunityStore org, QrCodeService codes, RenderedImages images,
        CancellationToken ct)
    {
        if (ImageResponses.RemovedParameter(http, ["size", "margin"], "preset=small|medium|large (the quiet zone is fixed at 4 modules)") is { } removed)
        {
            return removed;
        }
        if (await org.FindCommunityAsync(code, ct) is not { } community)
        {
            return Problems.NotFound(Text.Format(Messages.CommunityNotFound, code));
        }
        var kind = ImageResponses.ParseKind(query.Kind);
        var format = query.Format ?? "png";
        var preset = query.Preset ?? CodePresets.Medium;
        CodeImage? wxacode = null;
        if (kind == CodeKind.Wxacode)
        {
            if ((wxacode = await images.WxaCodeAsync(community, ct)) is null)
            {
                return images.Busy(http);
            }
            if (wxacode.IsEmulated)
            {
                http.Response.Headers[EmulatedHeaderName] = "true";
            }
        }
        return await images.ServeAsync(http, codes.Describe(community, kind, format, preset, wxacode), fileName: null,
            token => codes.Render(community, kind, format, preset, wxacode, token), ct);
    }
}
