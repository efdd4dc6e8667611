using System.Text;

namespace LianApi.Shared;

/// <summary>What an ops import did: rows written, or the errors (by line) that stopped it.</summary>
public sealed record ImportResult(int Imported, IReadOnlyList<string> Errors)
{
    /// <summary>A file with hundreds of errors usually has one mistake: the first ones show it, the rest would bury it.</summary>
    public const int ErrorsShown = 20;

    /// <summary>Tells ops what the import verb did (on the console unless told otherwise); the exit code: 1 when the file was refused.</summary>
    public int Report(string what, string file, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        foreach (var line in Errors.Take(ErrorsShown))
        {
            error.WriteLine(line);
        }
        if (Errors.Count > ErrorsShown)
        {
            error.WriteLine($"… and {Errors.Count - ErrorsShown} more error(s).");
        }
        output.WriteLine(Errors.Count == 0
            ? $"Imported {Imported} {what} from {file}."
            : $"Nothing imported: {Errors.Count} error(s) in {file}. Fix them and run the import again.");
        return Errors.Count == 0 ? 0 : 1;
    }
}

/// <summary>RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.</summary>
internal static class Csv
{
    public sealed record Record(int Line, IReadOnlyList<string> Fields);

    /// <summary>A data row of a file read against its header: its line number and its trimmed fields by (lower-case) column name.</summary>
    public sealed record Row(int Line, Dictionary<string, string> Fields);

    // Strict, so a GBK file (what Excel on Chinese Windows saves as "CSV") is refused instead of stored as mojibake.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The rows of an ops import file: UTF-8 with a header row naming every one of <paramref name="columns"/> (in any order;
    /// <paramref name="optional"/> ones may be left out and read as empty). Blank lines are skipped. The errors are about
    /// the file as a whole (missing, not UTF-8, bad header: then there are no rows) or a row's field count, by line.
    /// </summary>
    public static (List<Row> Rows, List<string> Errors) ReadTable(string path, string[] columns, string[]? optional = null)
    {
        var rows = new List<Row>();
        var errors = new List<string>();
        if (!File.Exists(path))
        {
            return (rows, [$"{path}: file not found"]);
        }
        string text;
        try
        {
            text = File.ReadAllText(path, StrictUtf8);
        }
        catch (DecoderFallbackException)
        {
            return (rows, [$"{path}: not UTF-8 (Excel on Chinese Windows saves CSV as GBK): save it as \"CSV UTF-8\" and import again"]);
        }
        var expected = string.Join(",", [.. columns, .. optional ?? []]);
        var records = Read(text).ToList();
        if (records.Count == 0)
        {
            return (rows, ["line 1: the file is empty; expected a header row: " + expected]);
        }
        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var missing = columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return (rows, [$"line 1: missing column(s) {string.Join(", ", missing)}; expected header: {expected}"]);
        }
        var duplicated = header.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicated.Count > 0)
        {
            return (rows, [$"line 1: column(s) {string.Join(", ", duplicated)} appear more than once"]);
        }
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.All(f => f.Trim().Length == 0))
            {
                continue;
            }
            if (record.Fields.Count != header.Length)
            {
                errors.Add($"line {record.Line}: {record.Fields.Count} fields, the header has {header.Length}");
                continue;
            }
            var fields = header.Zip(record.Fields.Select(f => f.Trim())).ToDictionary(p => p.First, p => p.Second);
            foreach (var absent in (optional ?? []).Where(c => !fields.ContainsKey(c)))
            {
                fields[absent] = "";
            }
            rows.Add(new Row(record.Line, fields));
        }
        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add("the file has a header but no rows");
        }
        return (rows, errors);
    }

    public static IEnumerable<Record> Read(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') { quoted = false; }
                else { if (ch == '\n') { line++; } field.Append(ch); }
                continue;
            }
            switch (ch)
            {
                case '"': quoted = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    yield return new Record(recordLine, fields);
                    fields = [];
                    recordLine = ++line;
                    break;
                default: field.Append(ch); break;
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new Record(recordLine, fields);
        }
    }
}
