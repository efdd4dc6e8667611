using System.ComponentModel.DataAnnotations;

namespace LianApi.StaffConsole;

/// <summary>A Leaflet tile layer (section <c>Console:MapTiles</c>), e.g. 天地图 with its key.</summary>
public sealed class MapTilesOptions
{
    public const string Wgs84 = "WGS84";
    public const string Gcj02 = "GCJ02";

    /// <summary>Leaflet's URL template: https://t{s}.tianditu.gov.cn/vec_w/wmts?...&amp;tk=KEY; {s} takes one of <see cref="Subdomains"/>.</summary>
    [RegularExpression("^https://[^\\s\"']+$", ErrorMessage = "Console__MapTiles__UrlTemplate must be an https URL template such as https://t{s}.tianditu.gov.cn/vec_w/wmts?...&tk=KEY.")]
    public string? UrlTemplate { get; set; }

    /// <summary>The provider's required attribution (天地图: "© 国家地理信息公共服务平台 天地图"), shown in the map's corner.</summary>
    public string Attribution { get; set; } = "";

    public string Subdomains { get; set; } = "01234567";

    /// <summary>WGS84 (天地图's CGCS2000, OpenStreetMap): the stored GCJ-02 points are converted; GCJ02 (高德, 腾讯): drawn as stored.</summary>
    [AllowedValues(Wgs84, Gcj02, ErrorMessage = "Console__MapTiles__CoordinateSystem must be WGS84 or GCJ02.")]
    public string CoordinateSystem { get; set; } = Wgs84;

    /// <summary>The origins the page's Content-Security-Policy must allow images from: the template's host, any subdomain for {s}.</summary>
    public string? ImageSource()
    {
        if (UrlTemplate is null)
        {
            return null;
        }
        var host = UrlTemplate["https://".Length..].Split('/', '?')[0];
        return host.Contains("{s}", StringComparison.Ordinal) ? "https://*." + host[(host.IndexOf('.') + 1)..] : "https://" + host;
    }
}
