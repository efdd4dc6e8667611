using System.Text;
using QRCoder;
using SkiaSharp;

namespace LianApi.QrCodes;

/// <summary>A QR code's modules without quiet zone; true is a dark module.</summary>
public sealed class QrMatrix(bool[,] modules)
{
    public int Size { get; } = modules.GetLength(0);

    public bool this[int row, int column] => modules[row, column];

    /// <summary>
    /// Error correction Q (25 %): printed posters get scratched, rained on and partly covered by other notices,
    /// and the short URLs we encode stay low-density even at this level.
    /// </summary>
    public static QrMatrix Encode(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        var core = 17 + 4 * data.Version;
        var offset = (data.ModuleMatrix.Count - core) / 2;
        var modules = new bool[core, core];
        for (var row = 0; row < core; row++)
        {
            for (var column = 0; column < core; column++)
            {
                modules[row, column] = data.ModuleMatrix[row + offset][column + offset];
            }
        }
        return new QrMatrix(modules);
    }
}

/// <summary>PNG and SVG renderings of a <see cref="QrMatrix"/>, with a chosen size and quiet zone.</summary>
public static class QrImages
{
    /// <summary>
    /// A PNG about <paramref name="size"/> pixels wide: whole pixels per module (a scanner needs sharp edges), so
    /// the image is the largest multiple of the module count that fits, never smaller than one pixel per module.
    /// </summary>
    public static byte[] Png(QrMatrix matrix, int size, int margin)
    {
        using var image = Image(matrix, size, margin);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The same pixels as <see cref="Png"/>, unencoded (grey, opaque): for drawing into a PDF, which embeds them as they are.</summary>
    public static SKImage Image(QrMatrix matrix, int size, int margin)
    {
        var modules = matrix.Size + 2 * margin;
        var scale = Math.Max(1, size / modules);
        var pixels = modules * scale;
        using var bitmap = new SKBitmap(new SKImageInfo(pixels, pixels, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            Draw(canvas, matrix, new SKRect(0, 0, pixels, pixels), margin);
        }
        return SKImage.FromBitmap(bitmap);
    }

    /// <summary>Draws the code filling <paramref name="area"/>, white background and quiet zone included.</summary>
    public static void Draw(SKCanvas canvas, QrMatrix matrix, SKRect area, int margin)
    {
        var modules = matrix.Size + 2 * margin;
        var unit = area.Width / modules;
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = false };
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = false };
        canvas.DrawRect(area, white);
        for (var row = 0; row < matrix.Size; row++)
        {
            for (var column = 0; column < matrix.Size; column++)
            {
                if (matrix[row, column])
                {
                    canvas.DrawRect(SKRect.Create(area.Left + (column + margin) * unit, area.Top + (row + margin) * unit, unit, unit), black);
                }
            }
        }
    }

    /// <summary>A vector rendering for print shops: one path, one unit per module, scalable without blur.</summary>
    public static string Svg(QrMatrix matrix, int margin)
    {
        var modules = matrix.Size + 2 * margin;
        var path = new StringBuilder();
        for (var row = 0; row < matrix.Size; row++)
        {
            for (var column = 0; column < matrix.Size; column++)
            {
                if (matrix[row, column])
                {
                    path.Append('M').Append(column + margin).Append(',').Append(row + margin).Append("h1v1h-1z");
                }
            }
        }
        return $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges"><rect width="{modules}" height="{modules}" fill="#fff"/><path d="{path}" fill="#000"/></svg>""";
    }
}
