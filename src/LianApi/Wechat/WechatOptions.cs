using Microsoft.Extensions.Options;

namespace LianApi.Wechat;

public enum WechatMode { Live, Emulator }

/// <summary>How we reach WeChat. Secrets come from environment variables or user-secrets, never appsettings.json.</summary>
public sealed class WechatOptions
{
    public const string Section = "Wechat";

    /// <summary><c>Emulator</c> needs no WeChat account (development only); <c>Live</c> calls the WeChat API.</summary>
    public WechatMode Mode { get; set; } = WechatMode.Live;

    public string AppId { get; set; } = "";

    public string AppSecret { get; set; } = "";

    /// <summary>The WeChat API host; tests point it at a fake on loopback.</summary>
    public string BaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Base delay of the retries of idempotent WeChat calls (exponential, with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Per attempt; a resident is waiting, so WeChat gets a few seconds, not the library's 10.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The Token of the message-push settings (消息推送) in the WeChat console: 3–32 letters and digits. Unset: the push
    /// endpoint answers 404 (nothing can be verified).
    /// </summary>
    public string PushToken { get; set; } = "";

    /// <summary>The EncodingAESKey of the message-push settings: 43 letters and digits; needed for safe mode (recommended).</summary>
    public string EncodingAesKey { get; set; } = "";

    /// <summary>The app id residents are keyed by in Emulator mode.</summary>
    public string EffectiveAppId => Mode == WechatMode.Emulator && AppId.Length == 0 ? "emulator" : AppId;
}

internal sealed class WechatOptionsValidator(IHostEnvironment environment) : IValidateOptions<WechatOptions>
{
    public ValidateOptionsResult Validate(string? name, WechatOptions options)
    {
        var failures = new List<string>();
        if (options.Mode == WechatMode.Emulator && !environment.IsDevelopment())
        {
            failures.Add($"Wechat__Mode=Emulator lets anyone log in as anyone and runs only in Development (this is {environment.EnvironmentName}): set Wechat__Mode=Live with Wechat__AppId and Wechat__AppSecret.");
        }
        if (options.Mode == WechatMode.Live)
        {
            if (string.IsNullOrWhiteSpace(options.AppId))
            {
                failures.Add("Wechat__AppId is required in Live mode: set the mini-program's AppID (environment variable Wechat__AppId).");
            }
            if (string.IsNullOrWhiteSpace(options.AppSecret))
            {
                failures.Add("Wechat__AppSecret is required in Live mode: set it from the secret store (environment variable Wechat__AppSecret), never in appsettings.json.");
            }
        }
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out _))
        {
            failures.Add($"Wechat__BaseUrl must be an absolute URL such as https://api.weixin.qq.com.");
        }
        if (options.PushToken.Length > 0 && !PushSettings.IsToken(options.PushToken))
        {
            failures.Add("Wechat__PushToken must be the message-push Token of the WeChat console: 3–32 letters and digits.");
        }
        if (options.EncodingAesKey.Length > 0)
        {
            if (!PushSettings.IsEncodingAesKey(options.EncodingAesKey))
            {
                failures.Add("Wechat__EncodingAesKey must be the message-push EncodingAESKey of the WeChat console: exactly 43 letters and digits.");
            }
            if (options.PushToken.Length == 0)
            {
                failures.Add("Wechat__EncodingAesKey is set but Wechat__PushToken is not: safe mode needs both (message-push settings of the WeChat console).");
            }
        }
        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add("Wechat__AttemptTimeout must be positive and no longer than Wechat__TotalTimeout.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
