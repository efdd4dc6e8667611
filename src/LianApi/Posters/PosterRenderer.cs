using LianApi.Communities;
using LianApi.QrCodes;
using Microsoft.Extensions.Options;
using SkiaSharp;

using LianApi.Shared;

namespace LianApi.Posters;

/// <summary>The printed poster's texts; the district's branding comes from configuration, not from code.</summary>
public sealed class PosterOptions
{
    public const string Section = "Posters";

    public string Brand { get; set; } = "莲湖区 · 莲心·360 民呼我行";

    public string Instruction { get; set; } = "微信扫一扫，码上就办";

    public string Explanation { get; set; } = "扫码后选择问题类别、说明情况即可上报，处理进度随时可查，办结后请您评价。";

    public string Footer { get; set; } = "莲湖区 三级响应 · 零遗漏 零延误 零差评";

    /// <summary>Paper size in millimetres (A4 by default; A3 is 297 × 420).</summary>
    public float PaperWidthMm { get; set; } = 210;

    public float PaperHeightMm { get; set; } = 297;
}

/// <summary>The sizes a poster PNG is served in; the PDF is vector and has no preset.</summary>
public static class PosterPresets
{
    public const string Screen = "screen";
    public const string Print = "print";

    public static int Dpi(string preset) => preset == Print ? 300 : 96;
}

/// <summary>What one poster shows: either a link QR code (<paramref name="LinkUrl"/>, drawn as vectors) or a mini-program code image.</summary>
public sealed record PosterContent(
    string CommunityCode, string CommunityName, string StreetName, IReadOnlyList<EmergencyHotline> Hotlines, string? LinkUrl, byte[]? CodePng);

/// <summary>
/// Draws posters once, in PDF points, for both outputs: a PDF (vector QR code, embedded fonts) for print shops
/// and a PNG at a preset resolution for screens and quick prints.
/// </summary>
public sealed class PosterRenderer(IOptions<PosterOptions> options)
{
    private const float PointsPerMm = 72f / 25.4f;
    private static readonly SKColor Red = new(0xC6, 0x28, 0x28);
    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    private static readonly SKColor Grey = new(0x61, 0x61, 0x61);

    private SKSize Page => new(options.Value.PaperWidthMm * PointsPerMm, options.Value.PaperHeightMm * PointsPerMm);

    /// <summary>The key of everything a poster's bytes depend on: what it shows, the configured texts and paper, the output.</summary>
    public string Key(PosterContent poster, string format, int dpi)
    {
        var o = options.Value;
        return RenderedImages.Key([
            "poster", format, dpi, poster.CommunityCode, poster.CommunityName, poster.StreetName,
            poster.LinkUrl, poster.CodePng is { } png ? RenderedImages.Fingerprint(png) : null,
            o.Brand, o.Instruction, o.Explanation, o.Footer, o.PaperWidthMm, o.PaperHeightMm,
            poster.Hotlines.Count, .. poster.Hotlines.SelectMany(h => new object[] { h.CategoryCode, h.CategoryName, h.Hotline }),
        ]);
    }

    /// <summary>A PDF written page by page, so a print set never holds more than one poster's drawing.</summary>
    public PosterPdf BeginPdf(Stream output) => new(output, Page, Draw);

    public byte[] Pdf(PosterContent poster, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var buffer = new MemoryStream();
        using (var pdf = BeginPdf(buffer))
        {
            pdf.Add(poster);
            ct.ThrowIfCancellationRequested();
            pdf.Close();
        }
        return buffer.ToArray();
    }

    public byte[] Png(PosterContent poster, int dpi, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var page = Page;
        var scale = dpi / 72f;
        using var surface = SKSurface.Create(new SKImageInfo((int)Math.Round(page.Width * scale), (int)Math.Round(page.Height * scale)));
        surface.Canvas.Scale(scale);
        Draw(surface.Canvas, poster, page);
        // Encoding takes longer than drawing: a request that timed out or went away stops here.
        ct.ThrowIfCancellationRequested();
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();
        // Skia's default PNG compression dominates a poster's drawing time; zlib level 3 is much faster for somewhat more bytes.
        using var png = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 3))
            ?? throw new InvalidOperationException("Skia could not encode the poster as PNG.");
        return png.ToArray();
    }

    private void Draw(SKCanvas canvas, PosterContent poster, SKSize page)
    {
        var o = options.Value;
        var w = page.Width;
        var center = w / 2;
        canvas.Clear(SKColors.White);

        using var red = new SKPaint { Color = Red, IsAntialias = true };
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var grey = new SKPaint { Color = Grey, IsAntialias = true };

        canvas.DrawRect(0, 0, w, page.Height * 0.13f, red);
        Text(canvas, o.Brand, center, page.Height * 0.075f, w * 0.85f, 26, white);
        Text(canvas, "社区诉求 · 扫码上报", center, page.Height * 0.11f, w * 0.85f, 14, white);

        Text(canvas, poster.CommunityName, center, page.Height * 0.21f, w * 0.9f, 40, ink);
        Text(canvas, poster.StreetName, center, page.Height * 0.255f, w * 0.9f, 20, grey);

        var codeSide = w * 0.52f;
        var codeArea = SKRect.Create(center - codeSide / 2, page.Height * 0.285f, codeSide, codeSide);
        if (poster.LinkUrl is { } url)
        {
            QrImages.Draw(canvas, QrMatrix.Encode(url), codeArea, margin: 4);
        }
        else if (poster.CodePng is { } png)
        {
            using var image = SKImage.FromEncodedData(png);
            canvas.DrawImage(image, codeArea, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        var below = codeArea.Bottom;
        if (poster.LinkUrl is { } caption)
        {
            Text(canvas, caption, center, below + 12, w * 0.8f, 8, grey);
        }

        Text(canvas, o.Instruction, center, below + 52, w * 0.9f, 34, red);
        Text(canvas, o.Explanation, center, below + 80, w * 0.88f, 12, ink);

        if (poster.Hotlines.Count > 0)
        {
            var boxTop = below + 100;
            var boxHeight = 30 + 18 * poster.Hotlines.Count;
            using var tint = new SKPaint { Color = new SKColor(0xFD, 0xEC, 0xEA), IsAntialias = true };
            canvas.DrawRoundRect(SKRect.Create(w * 0.08f, boxTop, w * 0.84f, boxHeight), 6, 6, tint);
            Text(canvas, "紧急情况请勿等待扫码处理", center, boxTop + 20, w * 0.8f, 13, red);
            for (var i = 0; i < poster.Hotlines.Count; i++)
            {
                var hotline = poster.Hotlines[i];
                Text(canvas, $"{hotline.CategoryName}：{hotline.Hotline}", center, boxTop + 40 + 18 * i, w * 0.8f, 11, ink);
            }
        }

        canvas.DrawRect(0, page.Height - 36, w, 36, red);
        Text(canvas, o.Footer, center, page.Height - 13, w * 0.9f, 12, white);
    }

    private static void Text(SKCanvas canvas, string text, float x, float baseline, float maxWidth, float size, SKPaint paint) =>
        Fonts.DrawCentered(canvas, text, x, baseline, maxWidth, size, paint);
}

/// <summary>A multi-page poster PDF being written: one page per <see cref="Add"/>, finished by <see cref="Close"/>.</summary>
public sealed class PosterPdf : IDisposable
{
    private readonly SKManagedWStream stream;
    private readonly SKDocument document;
    private readonly SKSize page;
    private readonly Action<SKCanvas, PosterContent, SKSize> draw;
    private bool closed;

    internal PosterPdf(Stream output, SKSize page, Action<SKCanvas, PosterContent, SKSize> draw)
    {
        this.page = page;
        this.draw = draw;
        stream = new SKManagedWStream(output);
        document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = "@莲 社区二维码海报",
            Creator = "LianApi",
            RasterDpi = 300,
        });
    }

    public void Add(PosterContent poster)
    {
        var canvas = document.BeginPage(page.Width, page.Height);
        draw(canvas, poster, page);
        document.EndPage();
    }

    public void Close()
    {
        document.Close();
        closed = true;
    }

    public void Dispose()
    {
        // Cancelled half-way: drop the pages rather than finish a PDF nobody will read.
        if (!closed)
        {
            document.Abort();
        }
        document.Dispose();
        stream.Dispose();
    }
}
