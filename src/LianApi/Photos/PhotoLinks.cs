using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LianApi.Shared;
using Microsoft.Extensions.Options;

namespace LianApi.Photos;

/// <summary>A photo as the detail views and the upload answer show it: signed links that work without a token until expiresAt.</summary>
public sealed record PhotoLink(
    [property: Description("The photo's id (32 hex digits); list it in photoIds to attach the photo")] string Id,
    [property: Description(PhotoLinks.UrlDescription)] string Url,
    [property: Description("The same for the 400 px thumbnail")] string ThumbUrl,
    [property: Description("When both links stop working (403 photo_link_expired): open the view again for new ones")] DateTimeOffset ExpiresAt);

/// <summary>Whether a signed link is good.</summary>
public enum LinkCheck
{
    Valid,
    Invalid,
    Expired,
}

/// <summary>
/// Short-lived signed links for <c>&lt;image src&gt;</c> and <c>wx.previewImage</c>, which cannot send an Authorization
/// header: the path and the expiry, with an HMAC-SHA256 over both. Anyone holding the link may fetch that one image
/// until it expires; a changed path, expiry or signature is refused.
/// </summary>
public sealed class PhotoLinks(IOptions<PhotoOptions> options, TimeProvider time, IHttpContextAccessor http)
{
    public const string UrlDescription =
        "A signed, absolute link to the photo (JPEG, long edge ≤ 2048 px): use it as <image src> or in wx.previewImage, no token needed until expiresAt. " +
        "It starts with Photos__PublicBaseUrl when configured, else with the scheme and host the request came to (the scheme a trusted proxy reports)";

    public const string ExpiresParameter = "expires";
    public const string SignatureParameter = "sig";
    public const string ScopeParameter = "scope";

    /// <summary>The scope of the public wall's and Open311's links: each use asks whether the case is still public.</summary>
    public const string PublicScope = "public";

    public TimeSpan Lifetime => options.Value.LinkLifetime;

    public static string PhotoPath(string id) => $"/api/photos/{id}";

    public static string ThumbnailPath(string id) => $"/api/photos/{id}/thumb";

    /// <summary>Both links of a photo, valid for the configured lifetime from now (whole seconds).</summary>
    public PhotoLink For(string id) => Links(id, scope: null);

    /// <summary>
    /// Both links of a photo for the public (the wall, Open311): signed for the public scope, so that they work only while
    /// the case is still public; a withdrawal (unpublish) ends them at once instead of at their expiry.
    /// </summary>
    public PhotoLink ForPublic(string id) => Links(id, PublicScope);

    private PhotoLink Links(string id, string? scope)
    {
        var expires = time.GetUtcNow() + options.Value.LinkLifetime;
        var seconds = expires.ToUnixTimeSeconds();
        var origin = Origin();
        return new PhotoLink(id, origin + Sign(PhotoPath(id), seconds, scope), origin + Sign(ThumbnailPath(id), seconds, scope),
            DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.AsChinaTime());
    }

    /// <summary>
    /// Where the links point: in a mini-program a relative <c>&lt;image src&gt;</c> is a path inside the package, so
    /// links are absolute — under the configured public base URL, else the request's own origin (Forwarded headers are
    /// applied first, from trusted proxies only); relative only outside a request (a background job) without a base URL.
    /// </summary>
    private string Origin()
    {
        if (options.Value.PublicBaseUrl.Length > 0)
        {
            return options.Value.PublicBaseUrl.TrimEnd('/');
        }
        return http.HttpContext?.Request is { Host.HasValue: true } request ? $"{request.Scheme}://{request.Host}{request.PathBase}" : "";
    }

    /// <summary>
    /// The photo's signed link for WeChat's image check: absolute, under <see cref="PhotoOptions.PublicBaseUrl"/>, valid
    /// for <see cref="PhotoOptions.MediaCheckLinkLifetime"/> (WeChat downloads within 30 minutes of accepting it). Without a
    /// base URL (allowed only outside Live mode, where the emulator never downloads) the link is relative.
    /// </summary>
    public string ForMediaCheck(string id)
    {
        var o = options.Value;
        var expires = (time.GetUtcNow() + o.MediaCheckLinkLifetime).ToUnixTimeSeconds();
        return o.PublicBaseUrl.TrimEnd('/') + Sign(PhotoPath(id), expires);
    }

    private string Sign(string path, long expires, string? scope = null) =>
        $"{path}?{ExpiresParameter}={expires.ToString(CultureInfo.InvariantCulture)}" + (scope is null ? "" : $"&{ScopeParameter}={scope}")
        + $"&{SignatureParameter}={Signature(path, expires, scope)}";

    // The scope is signed too (a line of its own, only when there is one, so the links issued before scopes still check):
    // dropping scope=public from a public link breaks its signature.
    private string Signature(string path, long expires, string? scope) =>
        Base64Url(HMACSHA256.HashData(options.Value.SigningKeyBytes(),
            Encoding.UTF8.GetBytes($"{path}\n{expires.ToString(CultureInfo.InvariantCulture)}" + (scope is null ? "" : $"\n{scope}"))));

    /// <summary>Checks a link's expiry and signature (with its scope) for <paramref name="path"/>; the remaining life comes back for Cache-Control.</summary>
    public LinkCheck Check(string path, string? expires, string? signature, string? scope, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || signature is null
            || (scope is not null && scope != PublicScope)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(path, seconds, scope)), Encoding.ASCII.GetBytes(signature)))
        {
            return LinkCheck.Invalid;
        }
        remaining = DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, DateTimeOffset.MaxValue.ToUnixTimeSeconds())) - time.GetUtcNow();
        return remaining > TimeSpan.Zero ? LinkCheck.Valid : LinkCheck.Expired;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
