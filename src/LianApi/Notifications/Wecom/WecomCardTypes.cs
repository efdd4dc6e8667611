namespace LianApi.Notifications.Wecom;

/// <summary>The message types a staff alert is sent as (<see cref="WecomOptions.CardType"/>); plain text is every host's fallback.</summary>
public static class WecomCardTypes
{
    public const string TextCard = "textcard";
    public const string TemplateCard = "template_card";
    public const string Text = "text";
}
