using System.Text.Json;
using LianApi.Wechat;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications;

/// <summary>
/// WeChat's pushes about subscriptions (wechat-api.md §5b), applied after the push was verified and stored: a popup
/// answer grants or zeroes credits like the client's POST (paired with it, see <see cref="ConsentStore"/>), a change
/// event (the user turned a template off) zeroes them, and a failed delivery report zeroes them too. Idempotent per push.
/// </summary>
public sealed class ConsentPushHandler(ConsentStore consents, ConsentOffers offers, IOptions<WechatOptions> wechat, TimeProvider time,
    ILogger<ConsentPushHandler> logger)
{
    public const string PopupEvent = "subscribe_msg_popup_event";
    public const string ChangeEvent = "subscribe_msg_change_event";
    public const string SentEvent = "subscribe_msg_sent_event";

    public static readonly string[] Events = [PopupEvent, ChangeEvent, SentEvent];

    /// <summary>Applies one stored push; <paramref name="pushKey"/> is its own identity (WeChat's retries repeat it).</summary>
    public async Task HandleAsync(string pushKey, JsonElement body, CancellationToken ct)
    {
        var eventName = PushIdentity.Text(body, "Event");
        if (PushIdentity.Text(body, "FromUserName") is not { } openId || !Events.Contains(eventName))
        {
            return;
        }
        if (await consents.FindUserAsync(wechat.Value.EffectiveAppId, openId, ct) is not { } userId)
        {
            logger.LogInformation("{Event} for an openid that never logged in; nothing to count", eventName);
            return;
        }
        var entries = Entries(body).ToList();
        List<string> accepted = [], refused = [];
        foreach (var entry in entries)
        {
            if (PushIdentity.Text(entry, "TemplateId") is not { } templateId)
            {
                continue;
            }
            if (eventName == SentEvent)
            {
                if (PushIdentity.Text(entry, "ErrorCode") is { } code && code != "0")
                {
                    logger.LogWarning("WeChat could not deliver a {TemplateId} message (ErrorCode {Code}, {Status})", templateId, code, PushIdentity.Text(entry, "ErrorStatus"));
                    refused.Add(templateId);
                }
                continue;
            }
            switch (PushIdentity.Text(entry, "SubscribeStatusString"))
            {
                case "accept" when eventName == PopupEvent: accepted.Add(templateId); break;
                case "reject" or "ban": refused.Add(templateId); break;
            }
        }
        if (accepted.Count > 0)
        {
            var offered = await offers.ForUserAsync(userId, ct);
            accepted.RemoveAll(t => !offered.Contains(t));
        }
        if (accepted.Count + refused.Count > 0)
        {
            await consents.ApplyAsync(userId, accepted, refused, ConsentSource.Push, time.GetUtcNow().UtcDateTime, pushKey, ct);
        }
    }

    // List is an array in JSON pushes, but a single entry may arrive as an object (pushes converted from XML).
    private static IEnumerable<JsonElement> Entries(JsonElement body) =>
        body.TryGetProperty("List", out var list)
            ? list.ValueKind switch
            {
                JsonValueKind.Array => list.EnumerateArray(),
                JsonValueKind.Object => [list],
                _ => [],
            }
            : [];
}

/// <summary>The consent handler in the message-push dispatch (Wechat/PushEvents.cs): one registration per event name.</summary>
internal sealed class ConsentPushEvent(ConsentPushHandler handler, string eventName) : IWechatPushHandler
{
    public string Event => eventName;

    // The stored event's own key: WeChat's retries of one push share it, so it is counted once.
    public Task HandleAsync(WechatPushEvent pushed, JsonElement body, CancellationToken ct) => handler.HandleAsync(pushed.EventKey, body, ct);
}
