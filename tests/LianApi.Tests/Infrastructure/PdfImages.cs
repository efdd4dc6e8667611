using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// The images a PDF embeds, read back from the file's own objects the way a viewer finds them: each page's /XObject
/// resources, each image's dictionary and its Flate-compressed pixels. Enough for the PDFs SkiaSharp writes
/// (uncompressed object syntax, 8-bit /DeviceGray images), which is what the tests check.
/// </summary>
public static partial class PdfImages
{
    public sealed record Image(int Width, int Height, byte[] Gray);

    /// <summary>Every page, in order, with the grey images it draws.</summary>
    public static IReadOnlyList<IReadOnlyList<Image>> ByPage(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var objects = ObjectStart().Matches(text).ToDictionary(m => int.Parse(m.Groups[1].Value), m => m.Index + m.Length);
        var pages = new List<IReadOnlyList<Image>>();
        foreach (var (_, start) in objects.OrderBy(o => o.Value))
        {
            if (!text.AsSpan(start).StartsWith("<<"))
            {
                continue;
            }
            var dictionary = Dictionary(text, start);
            if (!PageObject().IsMatch(dictionary) || dictionary.Contains("/Kids"))
            {
                continue;
            }
            if (IndirectResources().Match(dictionary) is { Success: true } indirect)
            {
                dictionary = Dictionary(text, objects[int.Parse(indirect.Groups[1].Value)]);
            }
            var resources = XObjects().Match(dictionary);
            pages.Add(resources.Success
                ? Reference().Matches(resources.Groups[1].Value).Select(r => ReadImage(pdf, text, objects[int.Parse(r.Groups[1].Value)])).OfType<Image>().ToList()
                : []);
        }
        return pages;
    }

    private static Image? ReadImage(byte[] pdf, string text, int start)
    {
        var dictionary = Dictionary(text, start);
        if (!dictionary.Contains("/Subtype /Image"))
        {
            return null;
        }
        Assert.That(dictionary, Does.Contain("/DeviceGray").And.Contain("/FlateDecode").And.Contain("/BitsPerComponent 8"), "a grey, Flate-compressed image");
        var width = int.Parse(Field("Width").Match(dictionary).Groups[1].Value);
        var height = int.Parse(Field("Height").Match(dictionary).Groups[1].Value);
        var length = int.Parse(Field("Length").Match(dictionary).Groups[1].Value);
        var data = text.IndexOf("stream", start + dictionary.Length - 1, StringComparison.Ordinal) + "stream".Length;
        data += text[data] == '\r' ? 2 : 1;
        using var inflater = new ZLibStream(new MemoryStream(pdf, data, length), CompressionMode.Decompress);
        using var pixels = new MemoryStream();
        inflater.CopyTo(pixels);
        Assert.That(pixels.Length, Is.EqualTo(width * height), "one byte per pixel");
        return new Image(width, height, pixels.ToArray());
    }

    /// <summary>The balanced &lt;&lt; … &gt;&gt; dictionary that starts at or after <paramref name="from"/>.</summary>
    private static string Dictionary(string text, int from)
    {
        var open = text.IndexOf("<<", from, StringComparison.Ordinal);
        var depth = 0;
        for (var i = open; i < text.Length - 1; i++)
        {
            if (text[i] == '<' && text[i + 1] == '<') { depth++; i++; }
            else if (text[i] == '>' && text[i + 1] == '>') { depth--; i++; if (depth == 0) { return text[open..(i + 1)]; } }
        }
        throw new AssertionException("an unterminated PDF dictionary");
    }

    private static Regex Field(string name) => new($@"/{name} (\d+)");

    [GeneratedRegex(@"(\d+) 0 obj\s*")]
    private static partial Regex ObjectStart();

    [GeneratedRegex(@"/Resources (\d+) 0 R")]
    private static partial Regex IndirectResources();

    [GeneratedRegex(@"/Type\s*/Page\b(?!s)")]
    private static partial Regex PageObject();

    [GeneratedRegex(@"/XObject\s*<<([^>]*)>>")]
    private static partial Regex XObjects();

    [GeneratedRegex(@"(\d+) 0 R")]
    private static partial Regex Reference();
}
