using System.Text;

namespace LianApi.Shared;

/// <summary>What an ops import did: rows written, or the errors (by line) that stopped it.</summary>
public sealed record ImportResult(int Imported, IReadOnlyList<string> Errors)
{
    /// <summary>Tells ops what the import verb did; the exit code: 1 when the file was refused.</summary>
    public int Report(string what, string file)
    {
        foreach (var error in Errors)
        {
            Console.Error.WriteLine(error);
        }
        Console.WriteLine(Errors.Count == 0
            ? $"Imported {Imported} {what} from {file}."
            : $"Nothing imported: {Errors.Count} error(s) in {file}. Fix them and run the import again.");
        return Errors.Count == 0 ? 0 : 1;
    }
}

/// <summary>RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.</summary>
internal static class Csv
{
    public sealed record Record(int Line, IReadOnlyList<string> Fields);

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
