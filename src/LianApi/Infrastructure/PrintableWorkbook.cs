using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace LianApi.Infrastructure;

/// <summary>
/// What a spreadsheet needs to come out of a printer as people expect and SpreadCheetah does not write: A4 landscape,
/// every sheet one page wide, its title and header rows repeated on each page, and "第 n 页，共 m 页" at the foot. Added
/// to the finished file's sheet and workbook parts, in the places the SpreadsheetML schema orders them.
/// </summary>
public static class PrintableWorkbook
{
    private const string FitToPage = """<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>""";

    private const string PageSetup = """
        <pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/><headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>
        """;

    // What may follow pageSetup in a worksheet, in schema order: the page setup goes before the first of them.
    private static readonly string[] AfterPageSetup = ["<rowBreaks", "<colBreaks", "<customProperties", "<cellWatches", "<ignoredErrors",
        "<smartTags", "<drawing", "<legacyDrawing", "<picture", "<oleObjects", "<controls", "<webPublishItems", "<tableParts", "<extLst", "</worksheet>"];

    /// <summary>The sheets in the order they were written, each with how many rows at its top repeat on every printed page.</summary>
    public static async Task<byte[]> ForA4LandscapeAsync(byte[] xlsx, IReadOnlyList<(string Name, int RepeatedRows)> sheets, CancellationToken ct)
    {
        using var result = new MemoryStream();
        await CopyForA4LandscapeAsync(new MemoryStream(xlsx), result, sheets, ct);
        return result.ToArray();
    }

    /// <summary>
    /// Copies a finished workbook to <paramref name="destination"/> (which need not seek: a response body) with the print
    /// layout added, entry by entry: a sheet of 100,000 rows is never held whole, only what follows its rows.
    /// </summary>
    public static async Task CopyForA4LandscapeAsync(Stream xlsx, Stream destination, IReadOnlyList<(string Name, int RepeatedRows)> sheets, CancellationToken ct)
    {
        using var source = new ZipArchive(xlsx, ZipArchiveMode.Read, leaveOpen: true);
        using var target = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var sheetParts = Enumerable.Range(1, sheets.Count).Select(i => $"xl/worksheets/sheet{i}.xml").ToHashSet(StringComparer.Ordinal);
        foreach (var entry in source.Entries)
        {
            await using var input = entry.Open();
            await using var output = target.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
            if (sheetParts.Contains(entry.FullName))
            {
                await CopySheetAsync(input, output, entry.FullName, ct);
            }
            else if (entry.FullName == "xl/workbook.xml")
            {
                using var reader = new StreamReader(input, Encoding.UTF8);
                var xml = WithPrintTitles(await reader.ReadToEndAsync(ct), sheets);
                await output.WriteAsync(Encoding.UTF8.GetBytes(xml), ct);
            }
            else
            {
                await input.CopyToAsync(output, ct);
            }
        }
    }

    private const string RowsEnd = "</sheetData>";

    /// <summary>The sheet with fitToPage after its opening tag and the page setup after its rows, the rows streamed through.</summary>
    private static async Task CopySheetAsync(Stream input, Stream output, string name, CancellationToken ct)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16);
        var buffer = new char[1 << 16];
        var pending = new StringBuilder();
        var headDone = false;
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            pending.Append(buffer, 0, read);
            if (!headDone)
            {
                var text = pending.ToString();
                var open = text.IndexOf("<worksheet", StringComparison.Ordinal);
                var close = open < 0 ? -1 : text.IndexOf('>', open);
                if (close < 0)
                {
                    continue;
                }
                if (text.Contains("<sheetPr", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{name} already has sheet properties; this layout expects SpreadCheetah's plain worksheet.");
                }
                pending.Clear().Append(text.Insert(close + 1, FitToPage));
                headDone = true;
            }
            // Everything before the end of the rows goes out now; the end and what follows stay to be edited.
            var body = pending.ToString();
            var end = body.IndexOf(RowsEnd, StringComparison.Ordinal);
            var safe = end >= 0 ? end : Math.Max(0, body.Length - RowsEnd.Length);
            await writer.WriteAsync(body.AsMemory(0, safe), ct);
            pending.Remove(0, safe);
        }
        var tail = pending.ToString();
        if (!headDone || !tail.StartsWith(RowsEnd, StringComparison.Ordinal) || tail.Contains("<pageSetup", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{name} is not the plain worksheet this layout expects.");
        }
        var at = AfterPageSetup.Select(tag => tail.IndexOf(tag, StringComparison.Ordinal)).Where(p => p >= 0).Min();
        await writer.WriteAsync(tail.Insert(at, PageSetup).AsMemory(), ct);
    }

    private static string WithPrintTitles(string xml, IReadOnlyList<(string Name, int RepeatedRows)> sheets)
    {
        var titles = string.Concat(sheets.Select((s, i) => s.RepeatedRows <= 0 ? "" :
            $"<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i.ToString(CultureInfo.InvariantCulture)}\">" +
            $"{SecurityElement.Escape($"'{s.Name.Replace("'", "''", StringComparison.Ordinal)}'")}!$1:${s.RepeatedRows.ToString(CultureInfo.InvariantCulture)}</definedName>"));
        if (titles.Length == 0)
        {
            return xml;
        }
        var existing = xml.IndexOf("</definedNames>", StringComparison.Ordinal);
        return existing >= 0
            ? xml.Insert(existing, titles)
            : xml.Insert(xml.IndexOf("</sheets>", StringComparison.Ordinal) + "</sheets>".Length, $"<definedNames>{titles}</definedNames>");
    }

    /// <summary>A column's width in Excel's units for these texts: a Chinese character takes two, with a margin; at least <paramref name="min"/>, at most <paramref name="max"/>.</summary>
    public static double Width(IEnumerable<string?> texts, double min = 6, double max = 60) =>
        Math.Clamp(texts.Select(t => (double)DisplayWidth(t ?? "")).DefaultIfEmpty(0).Max() + 2, min, max);

    /// <summary>Columns a text takes in a monospace sense: East Asian wide and full-width characters count two.</summary>
    public static int DisplayWidth(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            width += c is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
                or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x20000 and <= 0x3FFFD ? 2 : 1;
        }
        return width;
    }
}
