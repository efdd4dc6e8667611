using Dapper;
using LianApi.Data;

namespace LianApi.StaffConsole;

/// <summary>A case's point as the report stored it (GCJ-02, as the mini-program's wx.chooseLocation gives it).</summary>
public sealed record CasePoint(string TrackingNo, double Latitude, double Longitude);

/// <summary>
/// The points of cases the inbox already listed for the caller: the scope and the filters are the inbox's (one code path),
/// this only reads the coordinates the inbox's items do not carry.
/// </summary>
public sealed class MapStore(Database db)
{
    private const string SelectPoints = """
        SELECT TrackingNo, Latitude, Longitude
        FROM Complaints
        WHERE TrackingNo IN @TrackingNos AND Latitude IS NOT NULL AND Longitude IS NOT NULL
        """;

    public async Task<IReadOnlyList<CasePoint>> PointsAsync(IReadOnlyCollection<string> trackingNos, CancellationToken ct)
    {
        if (trackingNos.Count == 0)
        {
            return [];
        }
        return await db.ReadAsync(async c => (await c.QueryAsync<CasePoint>(new CommandDefinition(SelectPoints, new { TrackingNos = trackingNos },
            cancellationToken: ct))).AsList(), ct);
    }
}
