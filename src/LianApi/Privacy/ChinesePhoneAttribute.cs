using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace LianApi.Privacy;

/// <summary>
/// A phone as people and WeChat write it — WeChat's +8613812345678, +86 138 0013 8000, 0086…, 138-0013-8000, a landline
/// 029-87654321 or (029) 8765 4321: digits with spaces, dashes and brackets (the spec's pattern), which normalize
/// (<see cref="PhoneProtector.Normalize"/>) to a mobile's 11 digits or a landline with its area code. Null passes.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed partial class ChinesePhoneAttribute() : RegularExpressionAttribute(InputPattern)
{
    public const string InputPattern = @"^\+?[0-9 ()\-]{7,24}$";

    public override bool IsValid(object? value) => value is null || (value is string text && IsPhone(text));

    public static bool IsPhone(string text) =>
        Input().IsMatch(text) && !OtherCountry(text.Trim()) && PhoneProtector.Normalize(text) is { } digits && National().IsMatch(digits);

    // +1 415 555 0100 has a mobile's 11 digits: a country code other than China's is refused before they are read.
    private static bool OtherCountry(string text) =>
        (text.StartsWith('+') && !text.StartsWith("+86", StringComparison.Ordinal)) || (text.StartsWith("00", StringComparison.Ordinal) && !text.StartsWith("0086", StringComparison.Ordinal));

    [GeneratedRegex(InputPattern)]
    private static partial Regex Input();

    // A mobile, or 0 + a two- or three-digit area code + a seven- or eight-digit number.
    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{9,11})$")]
    private static partial Regex National();
}
