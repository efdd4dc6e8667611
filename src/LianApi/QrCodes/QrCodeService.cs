using System.Text;
using System.Text.RegularExpressions;
using LianApi.Communities;
using LianApi.Shared;
using LianApi.Wechat;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace LianApi.QrCodes;

public enum CodeKind { Link, Wxacode }

/// <summary>The sizes a code is served in: what screens, print-outs and posters need, and nothing larger.</summary>
public static class CodePresets
{
    public const string Small = "small";
    public const string Medium = "medium";
    public const string Large = "large";

    public static int Pixels(string preset) => preset switch
    {
        Small => 256,
        Large => 1024,
        _ => 512,
    };
}

/// <summary>A code image as PNG; an emulated one is a local stand-in, marked as such on the image and in a header.</summary>
public sealed record CodeImage(byte[] Png, bool IsEmulated);

public sealed partial class QrCodeService(
    IOptions<QrCodeOptions> options, IOptions<WechatOptions> wechat, WxaCodeStore store, WechatAccessTokenProvider tokens,
    IServiceProvider services, TimeProvider time)
{
    // WeChat's largest size: the poster prints it about 9 cm wide, which wants every pixel it can get.
    private const int WxaWidth = 1280;

    public string LinkUrl(string communityCode) => options.Value.LinkPrefix + communityCode;

    // The quiet zone scanners expect around a code; fixed, so every PNG of a preset is the same image.
    private const int Margin = 4;

    /// <summary>The mini-program code of a community if it was fetched before; never calls WeChat.</summary>
    public async Task<CodeImage?> StoredWxaCodeAsync(CommunityRow community, CancellationToken ct)
    {
        var o = options.Value;
        return await store.FindAsync(community.Id, o.WxaPage, o.WxaEnvVersion, ct) is { } stored
            ? new CodeImage(stored.Png, stored.IsEmulated)
            : null;
    }

    /// <summary>The mini-program code of a community: from storage, else from WeChat (or the emulator) and stored.</summary>
    public async Task<CodeImage> WxaCodeAsync(CommunityRow community, CancellationToken ct)
    {
        var o = options.Value;
        if (await StoredWxaCodeAsync(community, ct) is { } stored)
        {
            return stored;
        }
        // scene: at most 32 characters of a restricted set; community codes are imported under a stricter rule still.
        if (!SceneFormat().IsMatch(community.Code))
        {
            throw new InvalidOperationException($"Community code '{community.Code}' cannot be a wxacode scene.");
        }
        CodeImage image;
        if (wechat.Value.Mode == WechatMode.Emulator)
        {
            image = new CodeImage(EmulatedStandIn(community.Code, o.WxaPage), IsEmulated: true);
        }
        else
        {
            var client = services.GetRequiredService<WechatClient>();
            var bytes = await tokens.CallAsync((token, token_ct) =>
                client.GetUnlimitedWxaCodeAsync(token, community.Code, o.WxaPage, o.WxaEnvVersion, o.WxaCheckPath, WxaWidth, token_ct), ct);
            image = new CodeImage(ToPng(bytes), IsEmulated: false);
        }
        await store.SaveAsync(community.Id, o.WxaPage, o.WxaEnvVersion, image.Png, image.IsEmulated, time.GetUtcNow().UtcDateTime, ct);
        return image;
    }

    /// <summary>
    /// A one-off mini-program code opening <paramref name="page"/> with <paramref name="scene"/> (the console's login ticket):
    /// never stored, since it is shown once; in Emulator mode the same marked stand-in as a community's.
    /// </summary>
    public async Task<CodeImage> SceneCodeAsync(string scene, string page, int width, CancellationToken ct)
    {
        if (!SceneFormat().IsMatch(scene))
        {
            throw new ArgumentException($"'{scene}' cannot be a wxacode scene.", nameof(scene));
        }
        if (wechat.Value.Mode == WechatMode.Emulator)
        {
            return new CodeImage(EmulatedStandIn(scene, page), IsEmulated: true);
        }
        var o = options.Value;
        var client = services.GetRequiredService<WechatClient>();
        var bytes = await tokens.CallAsync((token, token_ct) =>
            client.GetUnlimitedWxaCodeAsync(token, scene, page, o.WxaEnvVersion, o.WxaCheckPath, width, token_ct), ct);
        return new CodeImage(ToPng(bytes), IsEmulated: false);
    }

    /// <summary>
    /// A code image as stored and served: <paramref name="wxacode"/> is the community's mini-program code (for
    /// that kind), whose fingerprint is part of the key, so a code fetched anew is a new image.
    /// </summary>
    public ImageSpec Describe(CommunityRow community, CodeKind kind, string format, string preset, CodeImage? wxacode)
    {
        var code = kind == CodeKind.Link ? LinkUrl(community.Code) : RenderedImages.Fingerprint(Wxacode(wxacode).Png);
        return format == "svg"
            ? new ImageSpec(community.Id, "qrcode/link/svg", RenderedImages.Key("qrcode", "svg", Margin, code), "image/svg+xml")
            : new ImageSpec(community.Id, $"qrcode/{KindName(kind)}/png/{preset}",
                RenderedImages.Key("qrcode", KindName(kind), "png", CodePresets.Pixels(preset), Margin, code), "image/png");
    }

    public byte[] Render(CommunityRow community, CodeKind kind, string format, string preset, CodeImage? wxacode, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var size = CodePresets.Pixels(preset);
        if (kind == CodeKind.Wxacode)
        {
            return Resize(Wxacode(wxacode).Png, size);
        }
        var matrix = QrMatrix.Encode(LinkUrl(community.Code));
        return format == "svg" ? Encoding.UTF8.GetBytes(QrImages.Svg(matrix, Margin)) : QrImages.Png(matrix, size, Margin);
    }

    public static string KindName(CodeKind kind) => kind == CodeKind.Link ? "link" : "wxacode";

    private static CodeImage Wxacode(CodeImage? wxacode) =>
        wxacode ?? throw new ArgumentNullException(nameof(wxacode), "A wxacode image is drawn from the community's stored mini-program code.");

    private static byte[] Resize(byte[] png, int size)
    {
        using var source = SKBitmap.Decode(png);
        using var resized = source.Resize(new SKImageInfo(size, size), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var encoded = resized.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    /// <summary>WeChat sends JPEG; everything we serve and print is PNG.</summary>
    private static byte[] ToPng(byte[] image)
    {
        using var bitmap = SKBitmap.Decode(image) ?? throw new WechatException("getwxacodeunlimit", WechatFailure.Unavailable, null, "the image could not be decoded");
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    /// <summary>
    /// Development without WeChat: a plain QR code of what the real code would carry, under a red banner that
    /// says it is a stand-in, so nobody can mistake a test print for the real thing.
    /// </summary>
    private static byte[] EmulatedStandIn(string scene, string page)
    {
        const int size = 860;
        using var surface = SKSurface.Create(new SKImageInfo(size, size));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        QrImages.Draw(canvas, QrMatrix.Encode($"EMULATED-WXACODE page={page} scene={scene}"), new SKRect(80, 150, size - 80, size - 10), margin: 2);
        using var banner = new SKPaint { Color = new SKColor(0xC6, 0x28, 0x28) };
        canvas.DrawRect(0, 0, size, 130, banner);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        Fonts.DrawCentered(canvas, "模拟小程序码 · 非真实 · 仅供开发", size / 2f, 88, size - 60, 56, white);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex SceneFormat();
}
