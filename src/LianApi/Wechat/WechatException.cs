using LianApi.Infrastructure;
using LianApi.Resources;

namespace LianApi.Wechat;

public enum WechatFailure
{
    /// <summary>The login code is wrong, expired or already used: the client must call wx.login again.</summary>
    InvalidCode,
    /// <summary>WeChat's per-user frequency limit.</summary>
    RateLimited,
    /// <summary>WeChat's risk control blocked this user.</summary>
    Blocked,
    /// <summary>WeChat is busy, slow or unreachable; worth retrying later.</summary>
    Unavailable,
    /// <summary>Our AppId/AppSecret/permissions are wrong: nothing works until ops fix the settings.</summary>
    Misconfigured,
    /// <summary>The access token was rejected; the caller refreshes it and retries once.</summary>
    AccessTokenRejected,
    /// <summary>An errcode we do not know.</summary>
    Unexpected,
}

/// <summary>A failed WeChat call; the exception handler turns it into a problem response.</summary>
public sealed class WechatException(string api, WechatFailure failure, int? errorCode, string reason, Exception? inner = null)
    : Exception($"WeChat {api} failed ({failure}, errcode {errorCode?.ToString() ?? "none"}): {reason}", inner), IProblemException
{
    // Configuration errors must be loud: every login fails until someone fixes the settings.
    public void Log(ILogger logger) => logger.Log(StatusCode == 500 ? LogLevel.Critical : LogLevel.Warning,
        "WeChat call {Api} failed with errcode {ErrCode}: {Reason}", Api, ErrorCode, Reason);

    public string Api { get; } = api;
    public WechatFailure Failure { get; } = failure;
    public int? ErrorCode { get; } = errorCode;
    public string Reason { get; } = reason;

    public int StatusCode => Failure switch
    {
        WechatFailure.InvalidCode => StatusCodes.Status401Unauthorized,
        WechatFailure.RateLimited => StatusCodes.Status429TooManyRequests,
        WechatFailure.Blocked => StatusCodes.Status403Forbidden,
        WechatFailure.Misconfigured => StatusCodes.Status500InternalServerError,
        WechatFailure.Unexpected => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    public string Code => Failure switch
    {
        WechatFailure.InvalidCode => ProblemCodes.WechatCodeInvalid,
        WechatFailure.RateLimited => ProblemCodes.WechatRateLimited,
        WechatFailure.Blocked => ProblemCodes.WechatBlocked,
        WechatFailure.Misconfigured => ProblemCodes.WechatMisconfigured,
        WechatFailure.Unexpected => ProblemCodes.WechatUnexpected,
        _ => ProblemCodes.WechatUnavailable,
    };

    public int? RetryAfterSeconds => Failure switch
    {
        WechatFailure.RateLimited => 60,
        WechatFailure.Unavailable or WechatFailure.AccessTokenRejected => 5,
        _ => null,
    };

    /// <summary>What the mini-program shows or acts on; never includes secrets or WeChat's raw message.</summary>
    public string ClientMessage => Failure switch
    {
        WechatFailure.InvalidCode => Messages.WechatCodeInvalid,
        WechatFailure.RateLimited => Messages.WechatRateLimited,
        WechatFailure.Blocked => Messages.WechatBlocked,
        WechatFailure.Misconfigured => Messages.WechatMisconfigured,
        WechatFailure.Unexpected => Text.Format(Messages.WechatUnexpected, ErrorCode),
        _ => Messages.WechatUnavailable,
    };

    public static WechatFailure Classify(int errorCode) => errorCode switch
    {
        -1 or 45009 => WechatFailure.Unavailable,
        40029 or 40163 => WechatFailure.InvalidCode,
        45011 => WechatFailure.RateLimited,
        40226 => WechatFailure.Blocked,
        40001 or 40014 or 42001 => WechatFailure.AccessTokenRejected,
        40002 or 40013 or 40125 or 40164 or 41002 or 41004 or 41008 or 48001 => WechatFailure.Misconfigured,
        _ => WechatFailure.Unexpected,
    };
}
