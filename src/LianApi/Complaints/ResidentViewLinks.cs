using System.Text.Json;
using System.Text.RegularExpressions;
using LianApi.Photos;

namespace LianApi.Complaints;

/// <summary>
/// The stored resident view names its photos by id, with empty links: links expire, so each photo gets fresh signed
/// ones whenever the view is served, and a photo WeChat's check found risky since (served to the dispatch center only)
/// is left out rather than listed with links that answer 404. Only the photo lists are rewritten, so the rest of the
/// view (its times, its escaping) is served byte for byte; a view without photos (most of them) is not touched at all.
/// </summary>
public sealed partial class ResidentViewLinks(PhotoLinks links, PhotoStore photos)
{
    public async Task<string> SignAsync(string json, CancellationToken ct)
    {
        if (!json.Contains("\"url\":\"\"", StringComparison.Ordinal))
        {
            return json;
        }
        var risky = await photos.RiskyAmongAsync(UnsignedPhoto().Matches(json).Select(m => m.Groups[1].Value).Distinct().ToList(), ct);
        // A whole list at a time, so a photo left out takes its comma with it.
        return UnsignedPhotoList().Replace(json, list => "[" + string.Join(",", UnsignedPhoto().Matches(list.Value)
            .Select(m => m.Groups[1].Value)
            .Where(id => !risky.Contains(id))
            .Select(id => JsonSerializer.Serialize(links.For(id), ComplaintStore.ViewJson))) + "]");
    }

    private const string Unsigned = """\{"id":"([0-9a-f]{32})","url":"","thumbUrl":"","expiresAt":"[^"]*"\}""";

    [GeneratedRegex(Unsigned)]
    private static partial Regex UnsignedPhoto();

    [GeneratedRegex(@"\[" + Unsigned + "(?:," + Unsigned + @")*\]")]
    private static partial Regex UnsignedPhotoList();
}
