using System.Text;
using SkiaSharp;

namespace LianApi.Shared;

/// <summary>
/// The fonts ship with the app, so a fresh machine renders posters correctly without installing anything:
/// Droid Sans Fallback (Apache-2.0) for Chinese and DejaVu Sans (Bitstream Vera licence) for Latin letters,
/// digits and punctuation, which the Chinese font lacks. Both licences allow embedding and redistribution.
/// </summary>
public static class Fonts
{
    public const string ChineseFile = "DroidSansFallbackFull.ttf";
    public const string LatinFile = "DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> Chinese = new(() => Load(ChineseFile));
    private static readonly Lazy<SKTypeface> Latin = new(() => Load(LatinFile));

    private static SKTypeface Load(string file) =>
        SKTypeface.FromFile(Path.Combine(AppContext.BaseDirectory, "Posters", "Fonts", file))
        ?? throw new FileNotFoundException($"The poster font {file} is missing from the app's Posters/Fonts folder.");

    /// <summary>
    /// Draws <paramref name="text"/> centred on <paramref name="x"/>, each character in the first font that has it,
    /// shrunk to fit <paramref name="maxWidth"/> (community names vary from 3 to 12 characters).
    /// </summary>
    public static void DrawCentered(SKCanvas canvas, string text, float x, float baseline, float maxWidth, float size, SKPaint paint) =>
        Draw(canvas, text, x, baseline, maxWidth, size, paint, SKTextAlign.Center);

    /// <summary>The width of <paramref name="text"/> at <paramref name="size"/>, each character in the font that draws it.</summary>
    public static float Measure(string text, float size, bool bold = false)
    {
        using var chinese = new SKFont(Chinese.Value, size) { Embolden = bold };
        using var latin = new SKFont(Latin.Value, size) { Embolden = bold };
        return Runs(text).Sum(r => (r.Latin ? latin : chinese).MeasureText(r.Text));
    }

    /// <summary>
    /// Draws <paramref name="text"/> left of, centred on or right of <paramref name="x"/> as <paramref name="align"/> says,
    /// shrunk to fit <paramref name="maxWidth"/>; <paramref name="bold"/> thickens the strokes (the fonts have no bold face).
    /// </summary>
    public static void Draw(SKCanvas canvas, string text, float x, float baseline, float maxWidth, float size, SKPaint paint,
        SKTextAlign align = SKTextAlign.Left, bool bold = false)
    {
        var runs = Runs(text);
        using var chinese = new SKFont(Chinese.Value, size) { Embolden = bold };
        using var latin = new SKFont(Latin.Value, size) { Embolden = bold };
        var width = runs.Sum(r => (r.Latin ? latin : chinese).MeasureText(r.Text));
        if (width > maxWidth)
        {
            chinese.Size = latin.Size = size * maxWidth / width;
            width = maxWidth;
        }
        var left = align switch { SKTextAlign.Center => x - width / 2, SKTextAlign.Right => x - width, _ => x };
        foreach (var (run, isLatin) in runs)
        {
            var font = isLatin ? latin : chinese;
            canvas.DrawText(run, left, baseline, SKTextAlign.Left, font, paint);
            left += font.MeasureText(run);
        }
    }

    private static List<(string Text, bool Latin)> Runs(string text)
    {
        var runs = new List<(string, bool)>();
        var current = new StringBuilder();
        bool? currentLatin = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var latin = !Chinese.Value.ContainsGlyph(rune.Value) && Latin.Value.ContainsGlyph(rune.Value);
            if (currentLatin is { } previous && previous != latin)
            {
                runs.Add((current.ToString(), previous));
                current.Clear();
            }
            current.Append(rune.ToString());
            currentLatin = latin;
        }
        if (current.Length > 0)
        {
            runs.Add((current.ToString(), currentLatin ?? false));
        }
        return runs;
    }
}
