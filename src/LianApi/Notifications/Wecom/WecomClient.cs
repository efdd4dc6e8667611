using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LianApi.Notifications.Wecom;

public sealed record WecomAccessToken(string Value, DateTimeOffset ExpiresAt);

/// <summary>A case card (textcard): title ≤ 128 bytes, description ≤ 512 bytes, the link opened on tap.</summary>
public sealed record WecomCard(string Title, string Description, string Url, string ButtonText);

/// <summary>What message/send answered with errcode 0: users who still got nothing are listed (not in the app's visible range, unknown).</summary>
public sealed record WecomSendResult(IReadOnlyList<string> InvalidUsers, string? MsgId);

/// <summary>
/// WeCom's server API (gettoken, message/send) over one HttpClient. Like WeChat, WeCom answers most failures with HTTP 200
/// and an errcode, so every answer is read and classified here.
/// </summary>
public sealed class WecomClient(HttpClient http, IOptions<WecomOptions> options, TimeProvider time)
{
    public const string GetTokenPath = "cgi-bin/gettoken";
    public const string SendPath = "cgi-bin/message/send";

    private sealed record TokenReply(
        [property: JsonPropertyName("errcode")] int ErrCode,
        [property: JsonPropertyName("errmsg")] string? ErrMsg,
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    public async Task<WecomAccessToken> GetTokenAsync(CancellationToken ct)
    {
        var o = options.Value;
        var reply = await SendAsync<TokenReply>("gettoken", () => new HttpRequestMessage(HttpMethod.Get,
            $"{GetTokenPath}?corpid={Uri.EscapeDataString(o.CorpId)}&corpsecret={Uri.EscapeDataString(o.Secret)}"), ct);
        ThrowOnError("gettoken", reply.ErrCode, reply.ErrMsg, tokenEndpoint: true);
        if (string.IsNullOrEmpty(reply.AccessToken) || reply.ExpiresIn <= 0)
        {
            throw new WecomException("gettoken", WecomFailure.Unexpected, null, "no access_token in a successful answer");
        }
        return new WecomAccessToken(reply.AccessToken, time.GetUtcNow().AddSeconds(reply.ExpiresIn));
    }

    private sealed record SendReply(
        [property: JsonPropertyName("errcode")] int ErrCode,
        [property: JsonPropertyName("errmsg")] string? ErrMsg,
        [property: JsonPropertyName("invaliduser")] string? InvalidUser,
        [property: JsonPropertyName("msgid")] string? MsgId);

    /// <summary>
    /// One textcard to up to 1000 users. WeCom's own duplicate check drops the same JSON again within 30 minutes: a second
    /// guard, beside the outbox's lease, against a re-send after a crash between send and mark. Never retried here.
    /// </summary>
    public Task<WecomSendResult> SendCardAsync(string accessToken, IReadOnlyCollection<string> users, WecomCard card, CancellationToken ct) =>
        SendMessageAsync(accessToken, users, WecomCardTypes.TextCard, new
        {
            title = card.Title, description = card.Description, url = card.Url, btntxt = card.ButtonText,
        }, ct);

    /// <summary>One text notice template card to up to 1000 users; like <see cref="SendCardAsync"/> otherwise.</summary>
    public Task<WecomSendResult> SendTemplateCardAsync(string accessToken, IReadOnlyCollection<string> users, WecomTemplateCard card, CancellationToken ct) =>
        SendMessageAsync(accessToken, users, WecomCardTypes.TemplateCard, card, ct);

    /// <summary>Plain text (≤ 2048 bytes, a link as &lt;a href&gt;): for clients that cannot show a card.</summary>
    public Task<WecomSendResult> SendTextAsync(string accessToken, IReadOnlyCollection<string> users, string content, CancellationToken ct) =>
        SendMessageAsync(accessToken, users, WecomCardTypes.Text, new { content }, ct);

    private async Task<WecomSendResult> SendMessageAsync(string accessToken, IReadOnlyCollection<string> users, string type, object body, CancellationToken ct)
    {
        var message = new Dictionary<string, object>
        {
            ["touser"] = string.Join('|', users),
            ["msgtype"] = type,
            ["agentid"] = options.Value.AgentId,
            [type] = body,
            ["enable_duplicate_check"] = 1,
            ["duplicate_check_interval"] = 1800,
        };
        var reply = await SendAsync<SendReply>("message/send", () => new HttpRequestMessage(HttpMethod.Post,
            $"{SendPath}?access_token={Uri.EscapeDataString(accessToken)}") { Content = JsonContent.Create(message) }, ct);
        ThrowOnError("message/send", reply.ErrCode, reply.ErrMsg);
        var invalid = (reply.InvalidUser ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new WecomSendResult(invalid, reply.MsgId);
    }

    private async Task<T> SendAsync<T>(string api, Func<HttpRequestMessage> request, CancellationToken ct)
    {
        try
        {
            using var message = request();
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new WecomException(api, WecomFailure.Unavailable, null, $"HTTP {(int)response.StatusCode}");
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            return JsonSerializer.Deserialize<T>(bytes) ?? throw new WecomException(api, WecomFailure.Unexpected, null, "empty answer");
        }
        catch (JsonException e)
        {
            throw new WecomException(api, WecomFailure.Unavailable, null, "the answer was not JSON", e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new WecomException(api, WecomFailure.Unavailable, null, e.GetType().Name, e);
        }
    }

    private static void ThrowOnError(string api, int errCode, string? errMsg, bool tokenEndpoint = false)
    {
        if (errCode == 0)
        {
            return;
        }
        var failure = WecomException.Classify(errCode, tokenEndpoint);
        // 60020 is an operator's fix (the trusted-IP list), so it says so in words rather than leaving WeCom's English.
        var reason = failure == WecomFailure.UntrustedIp
            ? $"untrusted IP: this server's outbound IP is not in the WeCom application's trusted IPs (企业可信IP); {errMsg}"
            : errMsg ?? "";
        throw new WecomException(api, failure, errCode, reason);
    }
}
