using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using LianApi.Auth;
using LianApi.Infrastructure;
using LianApi.Resources;
using LianApi.Wechat;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LianApi.Photos;

public static class PhotosApi
{
    public static RouteGroupBuilder MapPhotos(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/photos")
            .WithTag("Photos", "Photos of reports and of their resolution: upload one per request (wx.uploadFile), show them through signed links");

        group.MapPost("/", UploadPhoto)
            .WithName(nameof(UploadPhoto))
            .WithSummary("Upload one photo, the way wx.uploadFile sends it (multipart/form-data, field file)")
            .WithDescription("JPEG, PNG or WebP (told by its bytes, not its name), at most 10 MB and 40 megapixels. The photo is turned upright " +
                             "(EXIF orientation) and re-encoded as a JPEG of at most 2048 px with a 400 px thumbnail; its metadata (EXIF, GPS) and " +
                             "the uploaded bytes are not kept. Attach it within 24 hours: photoIds of POST /api/complaints, or of resolve and reply. " +
                             "The photo is then checked by WeChat's content safety: it is shown to its uploader and to staff while the check is pending; " +
                             "one found risky is shown to the dispatch center only (404 for everyone else, signed links included). " +
                             "Send one photo at a time: a second upload while the caller's first is still in progress is 429 (Retry-After: 1). " +
                             "Refused uploads (415, 413 for pixels) count against the hourly upload limit like stored ones.")
            .RequireAuthorization()
            .ContainsPersonalData()
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes))
            .WithFormOptions(multipartBodyLengthLimit: MaxRequestBytes, valueCountLimit: 16, valueLengthLimit: 8 * 1024)
            .ProducesHeader(StatusCodes.Status201Created, HeaderNames.Location, "The photo's URL (GET it with a token)", required: true)
            .ProducesStandardProblems(400, 413, 415, 429, 503);

        group.MapGet("/{id}", GetPhoto)
            .WithName(nameof(GetPhoto))
            .WithSummary("The photo (JPEG): with a signed link's expires and sig, or with a token")
            .WithPhotoResponses();

        group.MapGet("/{id}/thumb", GetPhotoThumbnail)
            .WithName(nameof(GetPhotoThumbnail))
            .WithSummary("The photo's 400 px thumbnail (JPEG): with a signed link's expires and sig, or with a token")
            .WithPhotoResponses();

        return group;
    }

    /// <summary>One photo plus the multipart envelope; Kestrel refuses a larger declared body before reading it.</summary>
    public const long MaxRequestBytes = 10 * 1024 * 1024 + 64 * 1024;

    private static RouteHandlerBuilder WithPhotoResponses(this RouteHandlerBuilder builder) => builder
        // The token is optional: a signed link is the credential of <image src>.
        .AllowAnonymous()
        .Produces(StatusCodes.Status304NotModified)
        .ProducesHeader(StatusCodes.Status200OK, HeaderNames.ETag, "The content hash: photos never change, so If-None-Match gets 304", required: true)
        .ProducesHeader(StatusCodes.Status304NotModified, HeaderNames.ETag, "The content hash", required: true)
        .ProducesHeader(StatusCodes.Status401Unauthorized, HeaderNames.WWWAuthenticate, "Bearer: send a token, or use the signed link", required: true)
        .ProducesStandardProblems(401, 403, 404);

    public static async Task<Results<Created<UploadedPhoto>, ProblemHttpResult>> UploadPhoto(
        [Description("The photo: JPEG, PNG or WebP, at most 10 MB"), Required(ErrorMessage = ValidationMessages.PhotoFile)] IFormFile? file, ClaimsPrincipal user, HttpContext http,
        PhotoStore photos, PhotoCleaner cleaner, PhotoLinks links, PhotoGate gate, IOptions<PhotoOptions> options, WechatJobSignal jobs, TimeProvider time,
        CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Problems.BadRequest("file", Messages.PhotoNoFile);
        }
        var o = options.Value;
        if (file.Length > o.MaxFileBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, Messages.PhotoTooLarge, ProblemCodes.PayloadTooLarge);
        }
        var userId = user.UserId();
        // One upload per user at a time: a second one would only queue more of the decoder's time behind the first
        // (the mini-program sends one photo after another, so only a double tap or a script meets this).
        using var turn = gate.TryStartUpload(userId);
        if (turn is null)
        {
            http.Response.SetRetryAfter(TimeSpan.FromSeconds(1));
            return Problems.TooManyRequests(Messages.PhotoUploadInProgress);
        }
        // The address the configured proxies report (UseForwardedHeaders), as for the other per-address limits.
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var now = time.GetUtcNow().UtcDateTime;
        if (await photos.WaitBeforeUploadAsync(userId, address, o.UploadsPerHour, o.RefusedUploadsPerHourPerAddress, now, ct) is var (wait, forAddress))
        {
            return UploadLimit(http, wait, forAddress ? Messages.PhotoAddressUploadLimit : Messages.PhotoUploadLimit);
        }
        var (clean, refusal) = await CleanAsync(file, cleaner, gate, o.MaxPixels, ct);
        if (refusal is { } reason)
        {
            // It held the checks or the decoder as long as a photo would have: it counts like one (issue 23).
            await photos.RecordRefusalAsync(userId, address, now, ct);
            return reason == PhotoRefusal.TooManyPixels
                ? Problem(StatusCodes.Status413PayloadTooLarge, Messages.PhotoTooManyPixels, ProblemCodes.PhotoTooManyPixels)
                : Problem(StatusCodes.Status415UnsupportedMediaType,
                    reason == PhotoRefusal.Unreadable ? Messages.PhotoUnreadable : Messages.PhotoUnsupportedType,
                    reason == PhotoRefusal.Unreadable ? ProblemCodes.PhotoUnreadable : ProblemCodes.PhotoTypeUnsupported);
        }
        if (clean is null)
        {
            http.Response.SetRetryAfter(TimeSpan.FromSeconds(2));
            return Problem(StatusCodes.Status503ServiceUnavailable, Messages.PhotoBusy, ProblemCodes.ServiceBusy);
        }
        try
        {
            var row = await photos.InsertAsync(userId, clean, o.UploadsPerHour, now, ct, file.FileName);
            // Its submission to WeChat's image check is queued with it; this instance runs it now.
            jobs.Wake();
            var link = links.For(row.Id);
            return TypedResults.Created(PhotoLinks.PhotoPath(row.Id), new UploadedPhoto(row.Id, row.Width, row.Height, link.ThumbUrl, link.Url, link.ExpiresAt));
        }
        catch (PhotoUploadLimitException full)
        {
            return UploadLimit(http, full.RetryAfter, Messages.PhotoUploadLimit);
        }
    }

    /// <summary>
    /// The upload's container checked first, without a decode slot (a broken file is refused at once, never queued
    /// ahead of a photo), then read into native memory and cleaned inside a slot, so that what waits for a slot holds
    /// only the upload Kestrel buffered to disk. Neither a photo nor a refusal: no slot came free in time.
    /// </summary>
    private static async Task<(CleanPhoto? Clean, PhotoRefusal? Refusal)> CleanAsync(IFormFile file, PhotoCleaner cleaner, PhotoGate gate,
        long maxPixels, CancellationToken ct)
    {
        await using (var buffered = file.OpenReadStream())
        {
            if (ImageStructure.Check(buffered, maxPixels) is { } broken)
            {
                return (null, broken);
            }
        }
        using var slot = await gate.TryEnterAsync(ct);
        if (slot is null)
        {
            return (null, null);
        }
        using var upload = await PhotoCleaner.ReadAsync(file, ct);
        try
        {
            return (cleaner.Clean(upload), null);
        }
        catch (PhotoRefusedException refused)
        {
            return (null, refused.Reason);
        }
    }

    public static Task<Results<PhotoContent, StatusCodeHttpResult, ProblemHttpResult>> GetPhoto(
        string id, [FromQuery(Name = PhotoLinks.ExpiresParameter), Description("From the signed link")] string? expires,
        [FromQuery(Name = PhotoLinks.SignatureParameter), Description("From the signed link")] string? sig,
        [FromQuery(Name = PhotoLinks.ScopeParameter), Description(ScopeDescription)] string? scope,
        HttpContext http, PhotoStore photos, PhotoLinks links, IPhotoAccess access, IPublicPhotos publicPhotos, CancellationToken ct) =>
        ServeAsync(id, thumbnail: false, new SignedLink(expires, sig, scope), http, photos, links, access, publicPhotos, ct);

    public static Task<Results<PhotoContent, StatusCodeHttpResult, ProblemHttpResult>> GetPhotoThumbnail(
        string id, [FromQuery(Name = PhotoLinks.ExpiresParameter), Description("From the signed link")] string? expires,
        [FromQuery(Name = PhotoLinks.SignatureParameter), Description("From the signed link")] string? sig,
        [FromQuery(Name = PhotoLinks.ScopeParameter), Description(ScopeDescription)] string? scope,
        HttpContext http, PhotoStore photos, PhotoLinks links, IPhotoAccess access, IPublicPhotos publicPhotos, CancellationToken ct) =>
        ServeAsync(id, thumbnail: true, new SignedLink(expires, sig, scope), http, photos, links, access, publicPhotos, ct);

    private const string ScopeDescription = "From the signed link: public on the links of the public wall and Open311, which work only while the case is public";

    private sealed record SignedLink(string? Expires, string? Signature, string? Scope);

    private static async Task<Results<PhotoContent, StatusCodeHttpResult, ProblemHttpResult>> ServeAsync(
        string id, bool thumbnail, SignedLink link, HttpContext http, PhotoStore photos, PhotoLinks links,
        IPhotoAccess access, IPublicPhotos publicPhotos, CancellationToken ct)
    {
        TimeSpan maxAge;
        PhotoRow? photo;
        if (link.Expires is not null || link.Signature is not null || link.Scope is not null)
        {
            var path = thumbnail ? PhotoLinks.ThumbnailPath(id) : PhotoLinks.PhotoPath(id);
            switch (links.Check(path, link.Expires, link.Signature, link.Scope, out maxAge))
            {
                case LinkCheck.Invalid:
                    return Problem(StatusCodes.Status403Forbidden, Messages.PhotoLinkInvalid, ProblemCodes.PhotoLinkInvalid);
                case LinkCheck.Expired:
                    return Problem(StatusCodes.Status403Forbidden, Messages.PhotoLinkExpired, ProblemCodes.PhotoLinkExpired);
            }
            // A link outlives nothing: a photo found risky after the link was issued is no longer served through it, and
            // a public link dies with the case's publication (unpublish), not at its expiry.
            photo = await photos.FindAsync(id, ct);
            if (photo is null || photo.Moderation == Moderation.Risky
                || (link.Scope == PhotoLinks.PublicScope && !await publicPhotos.IsPublicAsync(id, ct)))
            {
                return NotFound();
            }
        }
        else
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                // The same answer as every endpoint that needs a token: 401 with WWW-Authenticate, problem+json.
                await http.ChallengeAsync();
                return TypedResults.StatusCode(StatusCodes.Status401Unauthorized);
            }
            maxAge = links.Lifetime;
            photo = await photos.FindAsync(id, ct);
            if (photo is null || await ViewerAsync(photo, http.User, access, ct) is not { } viewer
                || (photo.Moderation == Moderation.Risky && viewer != PhotoViewer.DispatchCenter))
            {
                return NotFound();
            }
        }
        var etag = new EntityTagHeaderValue($"\"{(thumbnail ? photo.ThumbnailHash : photo.ContentHash)}\"");
        var cacheControl = $"private, max-age={Math.Max(0, (int)maxAge.TotalSeconds)}";
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: true)))
        {
            http.Response.Headers.ETag = etag.ToString();
            http.Response.Headers.CacheControl = cacheControl;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return new PhotoContent(photo.Id, thumbnail, thumbnail ? photo.ThumbnailByteCount : photo.ByteCount, etag, cacheControl);
    }

    private static async Task<PhotoViewer?> ViewerAsync(PhotoRow photo, ClaimsPrincipal user, IPhotoAccess access, CancellationToken ct)
    {
        if (photo.ComplaintId is not { } complaintId)
        {
            // Not attached yet: only its uploader, who is choosing what to send.
            return photo.OwnerUserId == user.UserId() ? PhotoViewer.Viewer : null;
        }
        var viewer = await access.CheckAsync(complaintId, user, ct);
        return viewer == PhotoViewer.None ? null : viewer;
    }

    private static ProblemHttpResult UploadLimit(HttpContext http, TimeSpan wait, string message)
    {
        http.Response.SetRetryAfter(wait);
        return Problem(StatusCodes.Status429TooManyRequests, message, ProblemCodes.PhotoUploadLimit);
    }

    private static ProblemHttpResult NotFound() =>
        Problems.NotFound(Messages.PhotoNotFound);

    private static ProblemHttpResult Problem(int status, string message, string code) =>
        TypedResults.Problem(message, statusCode: status).WithCode(code);
}
