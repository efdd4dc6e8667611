namespace LianApi.Notifications.Wecom;

/// <summary>What a WeCom errcode means for the outbox (wechat-api.md §11).</summary>
public enum WecomFailure
{
    /// <summary>40014 / 42001: the cached token is invalid or expired; refreshed once and tried again.</summary>
    TokenRejected,
    /// <summary>45009 and the other frequency limits: back off, the outbox retries later.</summary>
    RateLimited,
    /// <summary>81013 / 40003: no recipient is a valid user of the application; retrying cannot help.</summary>
    InvalidUser,
    /// <summary>60020: this server's outbound IP is not among the application's trusted IPs (企业可信IP).</summary>
    UntrustedIp,
    /// <summary>Wrong corp id, secret or agent id, or the API is forbidden for the application: nothing is sent until ops fix it.</summary>
    Misconfigured,
    /// <summary>WeCom is busy (-1), slow or unreachable.</summary>
    Unavailable,
    /// <summary>An errcode we do not know.</summary>
    Unexpected,
}

/// <summary>A failed WeCom call, classified so the dispatcher knows whether to retry, back off or give up.</summary>
public sealed class WecomException(string api, WecomFailure failure, int? errorCode, string reason, Exception? inner = null)
    : Exception($"WeCom {api} failed ({failure}, errcode {errorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): {reason}", inner)
{
    public const int UntrustedIpCode = 60020;

    public string Api { get; } = api;
    public WecomFailure Failure { get; } = failure;
    public int? ErrorCode { get; } = errorCode;
    public string Reason { get; } = reason;

    /// <summary>Failures no retry of the same message can fix.</summary>
    public bool IsPermanent => Failure is WecomFailure.InvalidUser;

    public static WecomFailure Classify(int errorCode, bool tokenEndpoint) => errorCode switch
    {
        40014 or 42001 or 41001 when !tokenEndpoint => WecomFailure.TokenRejected,
        // 45009 API frequency, 45033 concurrency, 45047 the queue of one kind of message: all mean "later".
        45009 or 45033 or 45047 => WecomFailure.RateLimited,
        81013 or 40003 => WecomFailure.InvalidUser,
        UntrustedIpCode => WecomFailure.UntrustedIp,
        40001 or 40013 or 40056 or 301002 or 48002 or 60011 or 40014 or 42001 or 41001 or 41004 => WecomFailure.Misconfigured,
        -1 => WecomFailure.Unavailable,
        _ => WecomFailure.Unexpected,
    };
}
