using System.Net;
using System.Text.Json;
using LianApi.Staff;
using LianApi.StaffConsole;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// The map with a tile provider on WGS-84 configured (天地图's template): the stored GCJ-02 point is drawn converted, and the
/// pages' Content-Security-Policy lets the tiles' host serve images.
/// </summary>
public sealed class ConsoleMapTilesTests
{
    [Test]
    public async Task Map_WithWgs84Tiles_DrawsTheConvertedPoint_AndAllowsTheTileHost()
    {
        await using var app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Console:MapTiles:UrlTemplate"] = "https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=test-key",
            ["Console:MapTiles:Attribution"] = "© 国家地理信息公共服务平台 天地图",
        });
        var resident = await app.LoginAsync("tiles-resident");
        var filed = await resident.SubmitAsync(new
        {
            communityCode = "gongyuanmen", categoryCode = "sanitation", description = "巷口路灯不亮",
            location = new { latitude = 34.2663, longitude = 108.9421 },
        });
        filed.EnsureSuccessStatusCode();
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(await app.StaffAsync("tiles-dispatcher", StaffRoles.Dispatcher, null, name: "调度员韩"));

        var page = await browser.GetAsync("/console/map");
        var data = JsonDocument.Parse(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(browser.LastHtml, "data-map=\"([^\"]*)\"").Groups[1].Value)).RootElement;
        var point = data.GetProperty("points")[0];
        var (lat, lng) = ChinaCoordinates.GcjToWgs(34.2663, 108.9421);

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(point.GetProperty("lat").GetDouble(), Is.EqualTo(lat).Within(1e-9).And.Not.EqualTo(34.2663).Within(1e-4), "converted to WGS-84");
            Assert.That(point.GetProperty("lng").GetDouble(), Is.EqualTo(lng).Within(1e-9));
            Assert.That(data.GetProperty("tiles").GetProperty("attribution").GetString(), Does.Contain("天地图"));
            Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("img-src 'self' data: https://*.tianditu.gov.cn;"));
            Assert.That(browser.LastHtml, Does.Not.Contain("id=\"no-tiles\""));
        });
    }
}
