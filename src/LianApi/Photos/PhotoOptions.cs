using LianApi.Infrastructure;
using LianApi.Wechat;
using Microsoft.Extensions.Options;

namespace LianApi.Photos;

/// <summary>Photo uploads, their cleaning, and the signed links the mini-program shows them through.</summary>
public sealed class PhotoOptions
{
    public const string Section = "Photos";

    /// <summary>Base64 of at least 32 random bytes: the HMAC key of signed photo links. Development generates one into the data folder.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>How long a signed link works (and how long a client may cache the image): 1 minute to 24 hours.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest file accepted, in bytes (WeChat's own photo checks stop at 10 MB).</summary>
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most pixels an upload may declare in its header (width × height); more is refused before decoding.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>
    /// Uploads per user in any hour, stored and refused alike (a refused one held the decoder too), counted from the
    /// database (exact across instances).
    /// </summary>
    public int UploadsPerHour { get; set; } = 60;

    /// <summary>
    /// Refused uploads (not a photo, broken, too many pixels) from one client address in any hour, whoever sent them,
    /// before that address may upload nothing for the rest of the hour: one person with many accounts. Residents send
    /// what wx.chooseMedia gives them, which is rarely refused; an address behind a carrier's NAT shares this.
    /// </summary>
    public int RefusedUploadsPerHourPerAddress { get; set; } = 30;

    /// <summary>Uploads decoded at once per process; the others wait up to <see cref="QueueTimeout"/>, then get 503.</summary>
    public int MaxConcurrentDecodes { get; set; } = Math.Clamp(Environment.ProcessorCount / 2, 1, 4);

    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where WeChat's servers reach this API from the internet (https://host[/prefix]): photos are submitted to WeChat's
    /// image check (media_check_async) as signed links under it. Required in Live mode; its host is the download
    /// domain the district configures in the WeChat console.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>
    /// How long the signed link submitted to WeChat's image check works: at least 30 minutes, because WeChat may fetch the
    /// image at any time within its 30-minute window after accepting it (plus its own queueing); longer than the
    /// resident-facing <see cref="LinkLifetime"/>, which only has to outlast a screen being open. 30 min–24 h.
    /// </summary>
    public TimeSpan MediaCheckLinkLifetime { get; set; } = TimeSpan.FromHours(2);

    public byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey);
}

/// <summary>Fills the Development signing key and names the key to set when a value is wrong.</summary>
internal sealed class PhotoOptionsSetup(IHostEnvironment environment, IConfiguration configuration, IOptions<WechatOptions> wechat)
    : IPostConfigureOptions<PhotoOptions>, IValidateOptions<PhotoOptions>
{
    public void PostConfigure(string? name, PhotoOptions options)
    {
        if (options.SigningKey.Length == 0 && environment.IsDevelopment())
        {
            options.SigningKey = DevelopmentSecrets.LoadOrCreate(configuration, "photo-signing.key");
        }
    }

    public ValidateOptionsResult Validate(string? name, PhotoOptions o)
    {
        if (DevelopmentSecrets.SigningKeyProblem(o.SigningKey, "Photos__SigningKey") is { } problem)
        {
            return ValidateOptionsResult.Fail(problem);
        }
        if (o.LinkLifetime < TimeSpan.FromMinutes(1) || o.LinkLifetime > TimeSpan.FromHours(24))
        {
            return ValidateOptionsResult.Fail("Photos__LinkLifetime must be between 00:01:00 and 1.00:00:00.");
        }
        if (o.MaxFileBytes is < 64 * 1024 or > 50 * 1024 * 1024)
        {
            return ValidateOptionsResult.Fail("Photos__MaxFileBytes must be between 65536 and 52428800.");
        }
        if (o.MaxPixels is < 1_000_000 or > 100_000_000)
        {
            return ValidateOptionsResult.Fail("Photos__MaxPixels must be between 1000000 and 100000000.");
        }
        if (o.UploadsPerHour is < 1 or > 100_000 || o.RefusedUploadsPerHourPerAddress is < 1 or > 100_000)
        {
            return ValidateOptionsResult.Fail("Photos__UploadsPerHour and Photos__RefusedUploadsPerHourPerAddress must be between 1 and 100000.");
        }
        if (o.MaxConcurrentDecodes is < 1 or > 64 || o.QueueTimeout < TimeSpan.Zero || o.QueueTimeout > TimeSpan.FromMinutes(1))
        {
            return ValidateOptionsResult.Fail("Photos__MaxConcurrentDecodes must be 1–64 and Photos__QueueTimeout at most 00:01:00.");
        }
        if (o.MediaCheckLinkLifetime < TimeSpan.FromMinutes(30) || o.MediaCheckLinkLifetime > TimeSpan.FromHours(24))
        {
            return ValidateOptionsResult.Fail("Photos__MediaCheckLinkLifetime must be between 00:30:00 (WeChat fetches the image within 30 minutes) and 1.00:00:00.");
        }
        if (o.PublicBaseUrl.Length > 0 || wechat.Value.Mode == WechatMode.Live)
        {
            if (!Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps
                || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
            {
                return ValidateOptionsResult.Fail("Photos__PublicBaseUrl must be the https URL WeChat's servers reach this API at (e.g. https://lian.example.gov.cn), " +
                                                  "without query or fragment; it is required in Live mode, where photos are submitted to WeChat's image check as links under it.");
            }
        }
        return ValidateOptionsResult.Success;
    }
}
