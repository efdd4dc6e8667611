using System.Text.RegularExpressions;
using SkiaSharp;
using ZXing;
using ZXing.Common;

namespace LianApi.Tests.Infrastructure;

/// <summary>Reads QR codes back with ZXing, the way a phone would, from PNGs and from our SVG paths.</summary>
public static partial class QrDecoder
{
    public static string? DecodePng(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new AssertionException("not a decodable image");
        var luminance = new byte[bitmap.Width * bitmap.Height];
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                luminance[y * bitmap.Width + x] = (byte)((c.Red * 299 + c.Green * 587 + c.Blue * 114) / 1000);
            }
        }
        return Decode(luminance, bitmap.Width, bitmap.Height);
    }

    /// <summary>Rasterises the unit squares of our SVG path (with a white border) and decodes that.</summary>
    public static string? DecodeSvg(string svg)
    {
        var size = int.Parse(ViewBox().Match(svg).Groups[1].Value);
        const int scale = 6;
        var pixels = size * scale;
        var luminance = Enumerable.Repeat((byte)255, pixels * pixels).ToArray();
        foreach (Match module in Module().Matches(svg))
        {
            var x = int.Parse(module.Groups[1].Value);
            var y = int.Parse(module.Groups[2].Value);
            for (var dy = 0; dy < scale; dy++)
            {
                for (var dx = 0; dx < scale; dx++)
                {
                    luminance[(y * scale + dy) * pixels + x * scale + dx] = 0;
                }
            }
        }
        return Decode(luminance, pixels, pixels);
    }

    /// <summary>
    /// One byte of grey per pixel, row by row (a PDF's /DeviceGray image, inflated): the code alone in its quiet zone,
    /// so ZXing reads it as a pure barcode; its finder search on an exact, unblurred drawing misses some codes.
    /// </summary>
    public static string? DecodeGray8(byte[] luminance, int width, int height) =>
        Decode(luminance, width, height, pure: true) ?? Decode(luminance, width, height);

    private static string? Decode(byte[] luminance, int width, int height, bool pure = false)
    {
        var reader = new BarcodeReaderGeneric
        {
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true, PureBarcode = pure },
        };
        return reader.Decode(new RGBLuminanceSource(luminance, width, height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
    }

    [GeneratedRegex(@"viewBox=""0 0 (\d+) \d+""")]
    private static partial Regex ViewBox();

    [GeneratedRegex(@"M(\d+),(\d+)h1v1h-1z")]
    private static partial Regex Module();
}
