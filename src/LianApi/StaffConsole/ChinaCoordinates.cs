namespace LianApi.StaffConsole;

/// <summary>
/// GCJ-02 (the obfuscated datum Chinese maps and WeChat's wx.getLocation/wx.chooseLocation use by default) to WGS-84, for a
/// tile provider on WGS-84 or CGCS2000 (天地图, OpenStreetMap), where a GCJ-02 point would sit a few hundred metres off.
/// GCJ-02 is WGS-84 plus a published polynomial offset; the inverse has no closed form and is found by iteration to ~1e-7°.
/// </summary>
public static class ChinaCoordinates
{
    // Krasovsky 1940, the ellipsoid the offset is defined on.
    private const double SemiMajorAxis = 6378245.0;
    private const double EccentricitySquared = 0.00669342162296594323;

    /// <summary>Outside mainland China's bounding box GCJ-02 equals WGS-84.</summary>
    public static bool OutsideChina(double latitude, double longitude) =>
        longitude < 72.004 || longitude > 137.8347 || latitude < 0.8293 || latitude > 55.8271;

    public static (double Latitude, double Longitude) WgsToGcj(double latitude, double longitude)
    {
        if (OutsideChina(latitude, longitude))
        {
            return (latitude, longitude);
        }
        var (dLat, dLng) = Offset(latitude, longitude);
        return (latitude + dLat, longitude + dLng);
    }

    /// <summary>The WGS-84 point whose GCJ-02 image is the given point: fixed-point iteration on the offset.</summary>
    public static (double Latitude, double Longitude) GcjToWgs(double latitude, double longitude)
    {
        if (OutsideChina(latitude, longitude))
        {
            return (latitude, longitude);
        }
        var (lat, lng) = (latitude, longitude);
        for (var i = 0; i < 30; i++)
        {
            var (gcjLat, gcjLng) = WgsToGcj(lat, lng);
            var (errLat, errLng) = (gcjLat - latitude, gcjLng - longitude);
            (lat, lng) = (lat - errLat, lng - errLng);
            if (Math.Abs(errLat) < 1e-9 && Math.Abs(errLng) < 1e-9)
            {
                break;
            }
        }
        return (lat, lng);
    }

    private static (double Latitude, double Longitude) Offset(double latitude, double longitude)
    {
        var (x, y) = (longitude - 105.0, latitude - 35.0);
        var wave = 20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI);
        var lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x))
            + (wave + 20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)
               + 160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        var lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x))
            + (wave + 20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)
               + 150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        var radLat = latitude / 180.0 * Math.PI;
        var magic = 1 - EccentricitySquared * Math.Sin(radLat) * Math.Sin(radLat);
        var sqrtMagic = Math.Sqrt(magic);
        return (lat * 180.0 / (SemiMajorAxis * (1 - EccentricitySquared) / (magic * sqrtMagic) * Math.PI),
            lng * 180.0 / (SemiMajorAxis / sqrtMagic * Math.Cos(radLat) * Math.PI));
    }
}
