namespace LianApi.Shared;

public static class TextSummary
{
    public const int Length = 60;

    /// <summary>The first characters of a text for lists, with an ellipsis when cut.</summary>
    public static string Of(string text) => text.Length <= Length ? text : text[..Length] + "…";
}
