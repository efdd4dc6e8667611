using System.Globalization;

namespace LianApi.Infrastructure;

/// <summary>One CSV field: numbers invariant, text quoted when it could break the row, a leading = + - @ defused so no cell runs as an Excel formula.</summary>
public static class CsvText
{
    public static string Field(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString()!),
    };

    private static string Quote(string text)
    {
        var safe = text.Length > 0 && "=+-@".Contains(text[0]) ? "'" + text : text;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{safe.Replace("\"", "\"\"")}\"" : safe;
    }
}
