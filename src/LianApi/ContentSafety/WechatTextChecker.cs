using System.Threading.RateLimiting;
using LianApi.Auth;
using LianApi.Infrastructure;
using LianApi.Wechat;
using Microsoft.Extensions.Options;

namespace LianApi.ContentSafety;

/// <summary>
/// msg_sec_check v2 for a resident's text. A report is never refused because the checker is down: WeChat being
/// unavailable (timeouts, 5xx and -1 after the client's retries), 61010 (the resident has not opened the mini-program
/// within 2 hours, which retrying cannot change) or any other failure makes the text <see cref="TextSuggest.Unchecked"/>,
/// for a person to look at. A rejected access token is refreshed once (<see cref="WechatAccessTokenProvider.CallAsync{T}"/>).
/// </summary>
internal sealed class WechatTextChecker(WechatClient client, WechatAccessTokenProvider tokens, UserStore users, ContentCheckLimiter limiter,
    ILogger<WechatTextChecker> logger) : ITextChecker
{
    /// <summary>msg_sec_check takes at most 2500 characters; a longer text is checked in parts, and is as bad as its worst part.</summary>
    public const int MaxContentLength = 2500;

    public async Task<TextVerdict> CheckAsync(long userId, int scene, string content, CancellationToken ct)
    {
        using var lease = limiter.TryAcquire(userId);
        if (!lease.IsAcquired)
        {
            return new TextVerdict(TextSuggest.Throttled, null, null);
        }
        var openId = await users.FindOpenIdAsync(userId, ct);
        if (openId is null)
        {
            return TextVerdict.Unchecked("没有该居民的 openid");
        }
        TextVerdict? verdict = null;
        foreach (var part in Parts(content))
        {
            var one = await CheckPartAsync(openId, scene, part, ct);
            verdict = verdict is null ? one : TextVerdict.Worst(verdict, one);
        }
        return verdict ?? new TextVerdict(TextSuggest.Pass, null, null);
    }

    private async Task<TextVerdict> CheckPartAsync(string openId, int scene, string content, CancellationToken ct)
    {
        try
        {
            var answer = await tokens.CallAsync((token, token2) => client.MsgSecCheckAsync(token, openId, scene, content, token2), ct);
            var suggest = answer.Suggest switch
            {
                "risky" => TextSuggest.Risky,
                "review" => TextSuggest.Review,
                _ => TextSuggest.Pass,
            };
            return new TextVerdict(suggest, answer.Label, answer.TraceId);
        }
        catch (WechatException e) when (e.ErrorCode == 61010)
        {
            logger.LogInformation("msg_sec_check: the resident has not opened the mini-program within 2 hours (61010); the text is accepted unchecked");
            return TextVerdict.Unchecked("居民近 2 小时未打开小程序，微信不予检测（61010）");
        }
        catch (WechatException e)
        {
            e.Log(logger);
            return TextVerdict.Unchecked(e.Failure == WechatFailure.Unavailable
                ? $"微信内容安全接口不可用（{e.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? e.Reason}）"
                : $"微信内容安全接口出错（errcode {e.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}）");
        }
    }

    internal static IEnumerable<string> Parts(string content)
    {
        for (var start = 0; start < content.Length;)
        {
            var length = Math.Min(MaxContentLength, content.Length - start);
            // Never split a surrogate pair (an emoji) across two checks.
            if (start + length < content.Length && char.IsHighSurrogate(content[start + length - 1]))
            {
                length--;
            }
            yield return content.Substring(start, length);
            start += length;
        }
    }
}

/// <summary>The per-resident budget of WeChat text checks (<see cref="RateLimitOptions.ContentChecksPerMinute"/>), per instance.</summary>
internal sealed class ContentCheckLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<long> limiter = PartitionedRateLimiter.Create<long, long>(userId =>
        RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.ContentChecksPerMinute,
            TokensPerPeriod = options.Value.ContentChecksPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public RateLimitLease TryAcquire(long userId) => limiter.AttemptAcquire(userId);

    public void Dispose() => limiter.Dispose();
}
