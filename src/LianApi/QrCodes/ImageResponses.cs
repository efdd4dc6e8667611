using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LianApi.QrCodes;

/// <summary>What the code and poster endpoints share: the kind parameter and cache validation of rendered images.</summary>
public static class ImageResponses
{
    public static CodeKind? ParseKind(string? kind) => kind switch
    {
        null or "link" => CodeKind.Link,
        "wxacode" => CodeKind.Wxacode,
        _ => null,
    };

    /// <summary>The same bytes always get the same ETag, so printers and browsers revalidate instead of downloading.</summary>
    public static Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult> Cached(HttpContext http, byte[] body, string contentType, string? fileName)
    {
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"");
        http.Response.Headers.CacheControl = "public, max-age=3600";
        if (http.Request.Headers.IfNoneMatch.Any(v => v == etag.Tag.Value || v == "*"))
        {
            http.Response.Headers.ETag = etag.Tag.Value;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.File(body, contentType, fileName, entityTag: etag);
    }
}
