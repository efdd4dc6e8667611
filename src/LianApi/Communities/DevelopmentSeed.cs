using LianApi.Data;

namespace LianApi.Communities;

/// <summary>
/// The communities the district has named publicly, so a fresh checkout has something to scan. Only names and
/// streets that are public; no addresses or coordinates are made up. The full list of 131 comes from ops' CSV.
/// 唐都花园社区 is named publicly too, but not its street, so it is left for the import rather than guessed.
/// </summary>
public sealed class DevelopmentSeed(CommunityStore store, ILogger<DevelopmentSeed> logger) : IDevelopmentSeed
{
    public static readonly IReadOnlyList<(string Code, string StreetCode, string Name)> Communities =
    [
        ("gongyuanmen", "beiyuanmen", "贡院门社区"),
        ("daxingdonglu", "hongmiaopo", "大兴东路社区"),
        ("zaoyuanxilu", "zaoyuan", "枣园西路社区"),
        ("huiminbeifang", "tumen", "惠民北坊社区"),
        ("taoyuanlu-center1", "taoyuanlu", "桃园路街道第一中心社区"),
    ];

    public async Task ApplyAsync(CancellationToken ct)
    {
        var streets = (await store.ListStreetsAsync(ct)).ToDictionary(s => s.Code, s => s.Id);
        var rows = Communities
            .Where(c => streets.ContainsKey(c.StreetCode))
            .Select(c => new CommunityUpsert(c.Code, streets[c.StreetCode], c.Name, null, null, null))
            .ToList();
        await store.UpsertCommunitiesAsync(rows, ct);
        logger.LogInformation("Seeded {Count} development communities", rows.Count);
    }
}
