using System.Text.Json;
using System.Text.Json.Nodes;
using LianApi.Photos;

namespace LianApi.Complaints;

/// <summary>
/// The stored resident view names its photos by id only; on the way out each gets fresh signed links. A view without
/// photos (most of them) is served byte for byte, as before.
/// </summary>
public static class ResidentViewLinks
{
    public static string Sign(string json, PhotoLinks links)
    {
        if (!json.Contains("\"photos\":[{", StringComparison.Ordinal))
        {
            return json;
        }
        var view = JsonNode.Parse(json)!.AsObject();
        Fill(view["photos"], links);
        foreach (var step in view["timeline"]?.AsArray() ?? [])
        {
            Fill(step?["photos"], links);
        }
        return view.ToJsonString(ComplaintStore.ViewJson);
    }

    private static void Fill(JsonNode? photos, PhotoLinks links)
    {
        foreach (var photo in photos?.AsArray() ?? [])
        {
            if (photo is not JsonObject entry || entry["id"]?.GetValue<string>() is not { } id)
            {
                continue;
            }
            var link = links.For(id);
            entry["url"] = link.Url;
            entry["thumbUrl"] = link.ThumbUrl;
            entry["expiresAt"] = JsonSerializer.SerializeToNode(link.ExpiresAt, ComplaintStore.ViewJson);
        }
    }
}
