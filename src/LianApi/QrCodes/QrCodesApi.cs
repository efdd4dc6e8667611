using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
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

        group.MapGet("/scan", ResolveScan)
            .WithName(nameof(ResolveScan))
            .WithSummary("What a scan opened the mini-program with — the mini-program code's scene or the plain link code's q — resolved to its community's landing (or a staff binding code)")
            .WithDescription("""
                Call it from the page the codes open, with whatever the page received:

                ```js
                onLoad(options) {
                  // a mini-program code (wxacode) gives options.scene; a plain link QR code gives options.q (the link, URL-encoded)
                  const query = options.scene ? { scene: decodeURIComponent(options.scene) } : { q: decodeURIComponent(options.q || '') }
                  wx.request({ url: `${API}/api/scan`, data: query, success: ({ statusCode, data }) => {
                    if (statusCode !== 200) return this.setData({ error: data.detail })         // problem+json, in Chinese
                    if (data.kind === 'community') this.setData({ landing: data.community })      // the same as GET /api/communities/{code}
                    else wx.navigateTo({ url: `/pages/staff/bind?code=${data.bindingCode}` })   // a staff binding sheet's code
                  } })
                }
                ```

                Both encoded and decoded values are accepted. Exactly one of scene and q.
                """)
            .ProducesStandardProblems(400, 404);

        return group;
    }

    public static async Task<Results<Ok<ScanResult>, ProblemHttpResult>> ResolveScan(
        [Description("options.scene of the page a mini-program code opened: the community's code")] string? scene,
        [Description("options.query.q of the page a plain link QR code opened: the link, e.g. https://lian.example.gov.cn/q/c/gongyuanmen")] string? q,
        IOptions<QrCodeOptions> options, OrgDirectory directory, CommunityStore store, CancellationToken ct)
    {
        if ((scene is null) == (q is null))
        {
            return Problems.BadRequest(scene is null ? "scene" : "q", Messages.ScanNeedsSceneOrQ);
        }
        var scanned = ScanLinks.Read(scene, q, options.Value);
        if (scanned is { Kind: ScanKinds.StaffBinding, Code: var bindingCode })
        {
            return TypedResults.Ok(new ScanResult(ScanKinds.StaffBinding, null, bindingCode));
        }
        if (scanned is { Kind: ScanKinds.Community, Code: var code } && (await CommunitiesApi.LandingAsync(code, directory, store, ct)).Landing is { } landing)
        {
            return TypedResults.Ok(new ScanResult(ScanKinds.Community, landing, null));
        }
        return Problems.NotFound(Messages.ScanNotRecognized);
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
