using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using LianApi.Shared;

namespace LianApi.Wechat;

/// <summary>What jscode2session tells us about a user; session_key is deliberately not kept.</summary>
public sealed record WechatIdentity(string OpenId);

public sealed record WechatAccessToken(string Value, DateTimeOffset ExpiresAt);

/// <summary>A subscribe message as WeChat takes it: keyword → value (already fitted to the keyword's rules).</summary>
public sealed record SubscribeMessage(string ToUser, string TemplateId, string? Page, IReadOnlyDictionary<string, string> Data, string MiniprogramState);

/// <summary>msg_sec_check's answer: suggest (pass, review, risky), label (100 normal, 20001 politics, ...) and trace_id.</summary>
public sealed record WechatTextVerdict(string Suggest, string? Label, string? TraceId);

/// <summary>
/// The WeChat server API over one HttpClient. WeChat reports most failures as HTTP 200 with an errcode, which
/// no HTTP resilience predicate can see, so every answer is read and classified here.
/// </summary>
public sealed class WechatClient(HttpClient http, IOptions<WechatOptions> options, TimeProvider time)
{
    public const string Code2SessionPath = "sns/jscode2session";
    public const string StableTokenPath = "cgi-bin/stable_token";

    private sealed record Code2SessionReply(
        [property: JsonPropertyName("openid")] string? OpenId,
        [property: JsonPropertyName("errcode")] int ErrCode,
        [property: JsonPropertyName("errmsg")] string? ErrMsg);

    /// <summary>Exchanges a wx.login code. Never retried: a code works once, and a retry would burn it.</summary>
    public async Task<WechatIdentity> Code2SessionAsync(string code, CancellationToken ct)
    {
        var o = options.Value;
        var url = $"{Code2SessionPath}?appid={Uri.EscapeDataString(o.AppId)}&secret={Uri.EscapeDataString(o.AppSecret)}" +
                  $"&js_code={Uri.EscapeDataString(code)}&grant_type=authorization_code";
        var reply = await SendAsync<Code2SessionReply>("jscode2session", () => new HttpRequestMessage(HttpMethod.Get, url), ct);
        ThrowOnError("jscode2session", reply.ErrCode, reply.ErrMsg);
        if (string.IsNullOrEmpty(reply.OpenId))
        {
            throw new WechatException("jscode2session", WechatFailure.Unexpected, null, "no openid in a successful answer");
        }
        return new WechatIdentity(reply.OpenId);
    }

    private sealed record StableTokenReply(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("errcode")] int ErrCode,
        [property: JsonPropertyName("errmsg")] string? ErrMsg);

    /// <summary>
    /// /cgi-bin/stable_token in normal mode hands every instance the same token, so no instance can invalidate
    /// another's. errcode -1 gets one short retry here; HTTP-level faults are retried by the resilience handler.
    /// </summary>
    public async Task<WechatAccessToken> GetStableAccessTokenAsync(CancellationToken ct)
    {
        var o = options.Value;
        var body = new { grant_type = "client_credential", appid = o.AppId, secret = o.AppSecret, force_refresh = false };
        for (var attempt = 1; ; attempt++)
        {
            var reply = await SendAsync<StableTokenReply>("stable_token", () => new HttpRequestMessage(HttpMethod.Post, StableTokenPath)
            {
                Content = JsonContent.Create(body),
            }, ct);
            if (reply.ErrCode == -1 && attempt == 1)
            {
                await Task.Delay(o.RetryDelay, time, ct);
                continue;
            }
            // On the token endpoint itself 40001 means a wrong AppSecret, not a stale token.
            ThrowOnError("stable_token", reply.ErrCode, reply.ErrMsg, tokenEndpoint: true);
            if (string.IsNullOrEmpty(reply.AccessToken) || reply.ExpiresIn <= 0)
            {
                throw new WechatException("stable_token", WechatFailure.Unexpected, null, "no access_token in a successful answer");
            }
            return new WechatAccessToken(reply.AccessToken, time.GetUtcNow().AddSeconds(reply.ExpiresIn));
        }
    }

    public const string SubscribeSendPath = "cgi-bin/message/subscribe/send";

    /// <summary>
    /// One subscribe message (subscribe/send). Never retried here, not even on errcode -1: a retry could deliver it twice,
    /// and the notification outbox retries with backoff. Every errcode throws; the caller decides what is permanent.
    /// </summary>
    public async Task SendSubscribeMessageAsync(string accessToken, SubscribeMessage message, CancellationToken ct)
    {
        var body = new
        {
            touser = message.ToUser,
            template_id = message.TemplateId,
            page = message.Page,
            data = message.Data.ToDictionary(d => d.Key, d => new { value = d.Value }),
            miniprogram_state = message.MiniprogramState,
            lang = "zh_CN",
        };
        var reply = await SendAsync<ErrorReply>("subscribe_send", () => new HttpRequestMessage(HttpMethod.Post,
            $"{SubscribeSendPath}?access_token={Uri.EscapeDataString(accessToken)}") { Content = JsonContent.Create(body) }, ct);
        ThrowOnError("subscribe_send", reply.ErrCode, reply.ErrMsg);
    }

    public const string WxaCodeUnlimitPath = "wxa/getwxacodeunlimit";

    private sealed record ErrorReply(
        [property: JsonPropertyName("errcode")] int ErrCode,
        [property: JsonPropertyName("errmsg")] string? ErrMsg);

    /// <summary>
    /// An unlimited mini-program code (permanent, no quota but 5000/min). WeChat answers an image or a JSON error,
    /// both with HTTP 200 and an unreliable Content-Type, so the answer is told apart by its first bytes.
    /// </summary>
    public async Task<byte[]> GetUnlimitedWxaCodeAsync(string accessToken, string scene, string page, string envVersion, bool checkPath, int width, CancellationToken ct)
    {
        var body = new { scene, page, env_version = envVersion, check_path = checkPath, width };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{WxaCodeUnlimitPath}?access_token={Uri.EscapeDataString(accessToken)}")
            {
                Content = JsonContent.Create(body),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new WechatException("getwxacodeunlimit", WechatFailure.Unavailable, null, $"HTTP {(int)response.StatusCode}");
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            if (ImageSniffer.IsImage(bytes))
            {
                return bytes;
            }
            var error = bytes.Length > 0 && bytes[0] == (byte)'{' ? JsonSerializer.Deserialize<ErrorReply>(bytes) : null;
            if (error is { ErrCode: not 0 })
            {
                ThrowOnError("getwxacodeunlimit", error.ErrCode, error.ErrMsg);
            }
            throw new WechatException("getwxacodeunlimit", WechatFailure.Unavailable, error?.ErrCode, "the answer was neither an image nor an error");
        }
        catch (JsonException e)
        {
            throw new WechatException("getwxacodeunlimit", WechatFailure.Unavailable, null, "the answer was not JSON", e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new WechatException("getwxacodeunlimit", WechatFailure.Unavailable, null, e.GetType().Name, e);
        }
    }

    public const string MsgSecCheckPath = "wxa/msg_sec_check";

    private sealed record MsgSecCheckReply(
        [property: JsonPropertyName("errcode")] int ErrCode,
        [property: JsonPropertyName("errmsg")] string? ErrMsg,
        [property: JsonPropertyName("trace_id")] string? TraceId,
        [property: JsonPropertyName("result")] MsgSecCheckVerdict? Result);

    // label was seen both as a number and as a string, so it is read as whatever it is.
    private sealed record MsgSecCheckVerdict(
        [property: JsonPropertyName("suggest")] string? Suggest,
        [property: JsonPropertyName("label")] JsonElement Label);

    /// <summary>
    /// msg_sec_check v2 on one text of at most 2500 characters. errcode -1 (busy) gets one immediate retry; every other
    /// error throws (61010: the user has not opened the mini-program within 2 hours).
    /// </summary>
    public async Task<WechatTextVerdict> MsgSecCheckAsync(string accessToken, string openId, int scene, string content, CancellationToken ct)
    {
        var body = new { content, version = 2, scene, openid = openId };
        for (var attempt = 1; ; attempt++)
        {
            var reply = await SendAsync<MsgSecCheckReply>("msg_sec_check", () => new HttpRequestMessage(HttpMethod.Post,
                $"{MsgSecCheckPath}?access_token={Uri.EscapeDataString(accessToken)}") { Content = JsonContent.Create(body) }, ct);
            if (reply.ErrCode == -1 && attempt == 1)
            {
                continue;
            }
            ThrowOnError("msg_sec_check", reply.ErrCode, reply.ErrMsg);
            if (reply.Result?.Suggest is not ("pass" or "review" or "risky"))
            {
                throw new WechatException("msg_sec_check", WechatFailure.Unexpected, null, "no result.suggest in a successful answer");
            }
            var label = reply.Result.Label.ValueKind switch
            {
                JsonValueKind.Number or JsonValueKind.String => reply.Result.Label.ToString(),
                _ => null,
            };
            return new WechatTextVerdict(reply.Result.Suggest, label, reply.TraceId);
        }
    }

    public const string MediaCheckAsyncPath = "wxa/media_check_async";

    private sealed record MediaCheckAsyncReply(
        [property: JsonPropertyName("errcode")] int ErrCode,
        [property: JsonPropertyName("errmsg")] string? ErrMsg,
        [property: JsonPropertyName("trace_id")] string? TraceId);

    /// <summary>
    /// media_check_async v2 for an image WeChat downloads from <paramref name="mediaUrl"/>: answers the trace_id the result
    /// will carry when WeChat pushes it (wxa_media_check, within 30 minutes). Every error throws; the caller's job retries.
    /// </summary>
    public async Task<string> MediaCheckAsyncAsync(string accessToken, string openId, int scene, string mediaUrl, CancellationToken ct)
    {
        var body = new { media_url = mediaUrl, media_type = 2, version = 2, scene, openid = openId };
        var reply = await SendAsync<MediaCheckAsyncReply>("media_check_async", () => new HttpRequestMessage(HttpMethod.Post,
            $"{MediaCheckAsyncPath}?access_token={Uri.EscapeDataString(accessToken)}") { Content = JsonContent.Create(body) }, ct);
        ThrowOnError("media_check_async", reply.ErrCode, reply.ErrMsg);
        return string.IsNullOrEmpty(reply.TraceId)
            ? throw new WechatException("media_check_async", WechatFailure.Unexpected, null, "no trace_id in a successful answer")
            : reply.TraceId;
    }

    private async Task<T> SendAsync<T>(string api, Func<HttpRequestMessage> request, CancellationToken ct)
    {
        try
        {
            using var message = request();
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new WechatException(api, WechatFailure.Unavailable, null, $"HTTP {(int)response.StatusCode}");
            }
            // WeChat's Content-Type for JSON varies (text/plain and others), so the body is parsed whatever it says.
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            return JsonSerializer.Deserialize<T>(bytes)
                   ?? throw new WechatException(api, WechatFailure.Unexpected, null, "empty answer");
        }
        catch (JsonException e)
        {
            throw new WechatException(api, WechatFailure.Unavailable, null, "the answer was not JSON", e);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new WechatException(api, WechatFailure.Unavailable, null, e.GetType().Name, e);
        }
    }

    private static void ThrowOnError(string api, int errCode, string? errMsg, bool tokenEndpoint = false)
    {
        if (errCode == 0)
        {
            return;
        }
        var failure = tokenEndpoint && errCode == 40001 ? WechatFailure.Misconfigured : WechatException.Classify(errCode);
        // errmsg carries WeChat's rid, useful when contacting WeChat support; it never contains our secrets.
        throw new WechatException(api, failure, errCode, errMsg ?? "");
    }
}
