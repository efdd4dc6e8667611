using System.Globalization;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.Features;

namespace LianApi.Infrastructure;

/// <summary>What a 413 says: the limit in force for the endpoint (a photo upload takes more than a report), so the client knows how much to cut.</summary>
public static class BodyLimits
{
    public static string TooLargeDetail(HttpContext context) =>
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
            ? Text.Format(Messages.Detail413Limit, Readable(limit))
            : Messages.Detail413;

    /// <summary>Whole MB from 1 MB on (a limit with room for a multipart envelope rounds down to the figure it was set from), else KB.</summary>
    public static string Readable(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, bytes / 1024)} KB");
}
