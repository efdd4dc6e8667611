using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LianApi.Communities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LianApi.QrCodes;

/// <summary>
/// Codes and posters are drawn once and served from the database afterwards. A request is answered, cheapest
/// first: 304 from the key alone, then the stored bytes, and only then a drawing, which waits for a slot of the
/// <see cref="RenderGate"/>.
/// </summary>
public sealed class RenderedImages(RenderedImageStore store, RenderGate gate, QrCodeService codes, TimeProvider time)
{
    /// <summary>
    /// Part of every key: raise it when a code change alters the bytes drawn (layout, fonts, encoder settings), so
    /// every stored image is drawn anew on its next request.
    /// </summary>
    public const int RendererVersion = 1;

    private long renders;

    /// <summary>Images this process has drawn (not served from storage): diagnostics, and the tests' proof of "drawn once".</summary>
    public long RenderCount => Interlocked.Read(ref renders);

    /// <summary>A key over the inputs, in order; null and "" differ, and a unit separator keeps neighbours apart.</summary>
    public static string Key(params IEnumerable<object?> inputs)
    {
        var text = new StringBuilder().Append(RendererVersion.ToString(CultureInfo.InvariantCulture));
        foreach (var input in inputs)
        {
            text.Append('\u001f').Append(input is null ? "\u2400" : Convert.ToString(input, CultureInfo.InvariantCulture));
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    /// <summary>What a key says about an image it cannot hold whole, such as a wxacode.</summary>
    public static string Fingerprint(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The community's mini-program code: from storage, else fetched from WeChat (or the emulator) in a slot of
    /// the gate, since the first fetch decodes and re-encodes an image. Null when no slot came free.
    /// </summary>
    public async Task<CodeImage?> WxaCodeAsync(CommunityRow community, CancellationToken ct)
    {
        if (await codes.StoredWxaCodeAsync(community, ct) is { } stored)
        {
            return stored;
        }
        using var slot = await gate.TryEnterAsync(ct);
        return slot is null ? null : await codes.WxaCodeAsync(community, ct);
    }

    /// <summary>503 with Retry-After: no slot came free.</summary>
    public ProblemHttpResult Busy(HttpContext http) => gate.Busy(http);

    public async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> ServeAsync(
        HttpContext http, ImageSpec image, string? fileName, Func<CancellationToken, byte[]> render, CancellationToken ct)
    {
        if (IsCurrent(http, image))
        {
            http.Response.Headers.CacheControl = CacheControl;
            http.Response.Headers.ETag = image.ETag.ToString();
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var bytes = await store.FindAsync(image, ct);
        if (bytes is null)
        {
            using var slot = await gate.TryEnterAsync(ct);
            if (slot is null)
            {
                return gate.Busy(http);
            }
            bytes = await FindOrRenderAsync(image, render, ct);
        }
        http.Response.Headers.CacheControl = CacheControl;
        return TypedResults.File(bytes, image.ContentType, fileName, entityTag: image.ETag);
    }

    /// <summary>
    /// The stored bytes, else drawn and stored. For callers that hold a slot of the gate already (a print set, a
    /// request that waited for its slot while another drew the same image) or need none (the CLI).
    /// </summary>
    public async Task<byte[]> FindOrRenderAsync(ImageSpec image, Func<CancellationToken, byte[]> render, CancellationToken ct)
    {
        if (await store.FindAsync(image, ct) is { } stored)
        {
            return stored;
        }
        ct.ThrowIfCancellationRequested();
        Interlocked.Increment(ref renders);
        var bytes = render(ct);
        await store.SaveAsync(image, bytes, time.GetUtcNow().UtcDateTime, ct);
        return bytes;
    }

    // Public: the codes hang on walls. An hour: a renamed community's poster is fetched anew soon after.
    private const string CacheControl = "public, max-age=3600";

    private static bool IsCurrent(HttpContext http, ImageSpec image) =>
        http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(image.ETag, useStrongComparison: false));
}
