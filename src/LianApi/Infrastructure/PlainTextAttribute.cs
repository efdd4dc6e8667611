using System.ComponentModel.DataAnnotations;

namespace LianApi.Infrastructure;

/// <summary>
/// Free text people type: no control characters but line breaks and tabs, and no bidirectional overrides
/// (U+202A–U+202E, U+2066–U+2069), which make a text display differently from what it says. NUL included.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PlainTextAttribute() : ValidationAttribute(ValidationMessages.PlainText)
{
    public override bool IsValid(object? value) => value is not string text || IsPlain(text);

    public static bool IsPlain(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var lineBreak = c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n');
            if ((char.IsControl(c) && c != '\t' && !lineBreak) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return false;
            }
        }
        return true;
    }
}
