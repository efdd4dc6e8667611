using System.ComponentModel.DataAnnotations;

namespace LianApi.Infrastructure;

/// <summary>
/// A text's length in characters (Unicode code points), as JSON Schema's minLength and maxLength count it, so the spec
/// and the server agree: an emoji is one character, not the two UTF-16 units <see cref="StringLengthAttribute"/> counts.
/// It is a StringLengthAttribute so that the spec still shows the bounds.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class CharacterLengthAttribute(int maximumLength) : StringLengthAttribute(maximumLength)
{
    public override bool IsValid(object? value) =>
        value is not string text || Count(text) is var count && count >= MinimumLength && count <= MaximumLength;

    public static int Count(string text) => text.EnumerateRunes().Count();
}
