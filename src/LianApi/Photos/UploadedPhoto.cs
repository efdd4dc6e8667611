using System.ComponentModel;

namespace LianApi.Photos;

/// <summary>The answer to an upload: the photo's id (for photoIds), its size and its signed links.</summary>
public sealed record UploadedPhoto(
    [property: Description("32 hex digits, unguessable; list it in photoIds within 24 hours, or the photo is deleted")] string Id,
    [property: Description("Width in px after cleaning (upright, long edge ≤ 2048)")] int Width,
    [property: Description("Height in px after cleaning")] int Height,
    [property: Description("The signed link of the 400 px thumbnail")] string ThumbUrl,
    [property: Description(PhotoLinks.UrlDescription)] string Url,
    [property: Description("When both links stop working")] DateTimeOffset ExpiresAt);
