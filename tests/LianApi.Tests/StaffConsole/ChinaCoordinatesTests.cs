using LianApi.StaffConsole;

namespace LianApi.Tests.StaffConsole;

/// <summary>GCJ-02 ↔ WGS-84 against the pairs published with googollee/eviltransform's tests (Shanghai, Shenzhen, Beijing).</summary>
public sealed class ChinaCoordinatesTests
{
    private static readonly (double WgsLat, double WgsLng, double GcjLat, double GcjLng)[] Known =
    [
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
    ];

    [Test]
    public void WgsToGcj_GivesThePublishedPoints()
    {
        foreach (var p in Known)
        {
            var (lat, lng) = ChinaCoordinates.WgsToGcj(p.WgsLat, p.WgsLng);
            Assert.That((lat, lng), Is.EqualTo((p.GcjLat, p.GcjLng)).Using<(double, double)>((a, b) =>
                Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9), $"{p.WgsLat},{p.WgsLng}");
        }
    }

    [Test]
    public void GcjToWgs_FindsThePublishedWgsPoints_ToAboutOneCentimetre()
    {
        foreach (var p in Known)
        {
            var (lat, lng) = ChinaCoordinates.GcjToWgs(p.GcjLat, p.GcjLng);
            Assert.Multiple(() =>
            {
                Assert.That(lat, Is.EqualTo(p.WgsLat).Within(1e-7));
                Assert.That(lng, Is.EqualTo(p.WgsLng).Within(1e-7));
            });
        }
    }

    [Test]
    public void InXian_TheShiftIsHundredsOfMetres()
    {
        // 莲湖区 (34.27, 108.93): the correction a tile layer on WGS-84 needs, not a rounding.
        var (lat, lng) = ChinaCoordinates.GcjToWgs(34.2658, 108.9334);
        var metres = Math.Sqrt(Math.Pow((34.2658 - lat) * 111_000, 2) + Math.Pow((108.9334 - lng) * 111_000 * Math.Cos(34.27 * Math.PI / 180), 2));
        Assert.That(metres, Is.InRange(200, 800));
    }

    [Test]
    public void OutsideChina_NothingMoves() =>
        Assert.That(ChinaCoordinates.GcjToWgs(51.5007, -0.1246), Is.EqualTo((51.5007, -0.1246)));
}

/// <summary>The tile provider's origin, which the console's Content-Security-Policy must let images come from.</summary>
public sealed class MapTilesOptionsTests
{
    [TestCase(null, null)]
    [TestCase("https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY", "https://*.tianditu.gov.cn")]
    [TestCase("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org")]
    public void ImageSource_IsTheTemplatesHost(string? template, string? expected) =>
        Assert.That(new MapTilesOptions { UrlTemplate = template }.ImageSource(), Is.EqualTo(expected));
}
