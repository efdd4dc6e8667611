using System.Text.Json;
using System.Text.RegularExpressions;
using LianApi.Photos;

namespace LianApi.Complaints;

/// <summary>
/// The stored resident view names its photos by id, with empty links: links expire, so each photo gets fresh signed
/// ones whenever the view is served. Only the photo objects are rewritten, so the rest of the view (its times, its
/// escaping) is served byte for byte; a view without photos (most of them) is not touched at all.
/// </summary>
public static partial class ResidentViewLinks
{
    public static string Sign(string json, PhotoLinks links) =>
        json.Contains("\"url\":\"\"", StringComparison.Ordinal)
            ? UnsignedPhoto().Replace(json, m => JsonSerializer.Serialize(links.For(m.Groups[1].Value), ComplaintStore.ViewJson))
            : json;

    [GeneratedRegex("""\{"id":"([0-9a-f]{32})","url":"","thumbUrl":"","expiresAt":"[^"]*"\}""")]
    private static partial Regex UnsignedPhoto();
}
