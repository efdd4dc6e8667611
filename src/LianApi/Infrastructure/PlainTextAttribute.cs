using System.ComponentModel.DataAnnotations;
using System.Buffers;
using System.Globalization;
using System.Text;

namespace LianApi.Infrastructure;

/// <summary>
/// Free text people type, as what is shown is what is stored: no control characters but line breaks and tabs, no
/// bidirectional overrides (U+202A–U+202E, U+2066–U+2069), which make a text display differently from what it says, and
/// nothing invisible that could hide inside a word or a number: format characters (Unicode Cf: zero-width space and
/// joiners, word joiner, soft hyphen, BOM, tags), line and paragraph separators, private-use and unassigned code points,
/// a lone surrogate, and the blank "letters" (Hangul fillers, braille blank). A zero-width joiner between two emoji
/// (👨‍👩‍👧) is the one format character kept: it draws one picture. NUL included.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PlainTextAttribute() : ValidationAttribute(ValidationMessages.PlainText)
{
    private const char ZeroWidthJoiner = '\u200D';

    private static readonly SearchValues<char> BlankLetters = SearchValues.Create("\u115F\u1160\u3164\uFFA0\u2800");

    public override bool IsValid(object? value) => value is not string text || IsPlain(text);

    public static bool IsPlain(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length) != OperationStatus.Done)
            {
                return false;
            }
            var c = text[i];
            var lineBreak = c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n');
            var category = Rune.GetUnicodeCategory(rune);
            var refused = category switch
            {
                UnicodeCategory.Control => c != '\t' && !lineBreak,
                UnicodeCategory.Format => !(c == ZeroWidthJoiner && JoinsEmoji(text, i)),
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
                    or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate => true,
                _ => length == 1 && BlankLetters.Contains(c),
            };
            if (refused)
            {
                return false;
            }
            i += length;
        }
        return true;
    }

    // An emoji (a supplementary character, or one ended by the emoji presentation selector U+FE0F) on each side.
    private static bool JoinsEmoji(string text, int i) =>
        i > 0 && i + 1 < text.Length && (char.IsLowSurrogate(text[i - 1]) || text[i - 1] == '\uFE0F') && char.IsHighSurrogate(text[i + 1]);
}
