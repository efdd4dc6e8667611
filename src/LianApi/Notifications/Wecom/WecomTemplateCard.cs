using System.Text.Json.Serialization;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// A text notice template card (template_card, card_type text_notice): the event and case as the main title, the deadline
/// emphasised, the summary, up to six key-value lines, and the console link on the card and its jump line. WeCom advises
/// the lengths each part is cut to below (characters, not bytes).
/// </summary>
public sealed record WecomTemplateCard(
    [property: JsonPropertyName("main_title")] WecomTemplateCard.Title MainTitle,
    [property: JsonPropertyName("emphasis_content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WecomTemplateCard.Emphasis? EmphasisContent,
    [property: JsonPropertyName("sub_title_text")] string SubTitleText,
    [property: JsonPropertyName("horizontal_content_list")] IReadOnlyList<WecomTemplateCard.Line> HorizontalContentList,
    [property: JsonPropertyName("jump_list")] IReadOnlyList<WecomTemplateCard.Jump> JumpList,
    [property: JsonPropertyName("card_action")] WecomTemplateCard.Action CardAction)
{
    public const int TitleChars = 26;
    public const int TitleDescChars = 30;
    public const int EmphasisTitleChars = 10;
    public const int EmphasisDescChars = 15;
    public const int SubTitleChars = 112;
    public const int MaxLines = 6;
    public const int KeyChars = 5;
    public const int ValueChars = 26;
    public const int JumpTitleChars = 13;

    [JsonPropertyName("card_type")]
    public string CardType => "text_notice";

    [JsonPropertyName("source")]
    public SourceLine Source { get; init; } = new("@莲 诉求办理");

    public sealed record SourceLine([property: JsonPropertyName("desc")] string Desc);

    public sealed record Title([property: JsonPropertyName("title")] string Text, [property: JsonPropertyName("desc")] string Desc);

    public sealed record Emphasis([property: JsonPropertyName("title")] string Text, [property: JsonPropertyName("desc")] string Desc);

    public sealed record Line([property: JsonPropertyName("keyname")] string KeyName, [property: JsonPropertyName("value")] string Value);

    /// <summary>Type 1: opens <see cref="Url"/>.</summary>
    public sealed record Jump([property: JsonPropertyName("title")] string Text, [property: JsonPropertyName("url")] string Url)
    {
        [JsonPropertyName("type")]
        public int Type => 1;
    }

    /// <summary>Type 1: a tap anywhere on the card opens <see cref="Url"/>.</summary>
    public sealed record Action([property: JsonPropertyName("url")] string Url)
    {
        [JsonPropertyName("type")]
        public int Type => 1;
    }
}
