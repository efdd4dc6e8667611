using LianApi.Communities;
using LianApi.QrCodes;

namespace LianApi.Posters;

/// <summary>Collects what a community's poster shows, then has it rendered one at a time or as a print set.</summary>
public sealed class PosterService(CommunityStore org, QrCodeService codes, PosterRenderer renderer)
{
    public const int DefaultDpi = 150;

    public async Task<PosterContent> ContentAsync(CommunityRow community, CodeKind kind, CancellationToken ct)
    {
        var hotlines = community.AsLanding(await org.ListCategoriesAsync(ct)).EmergencyHotlines;
        return kind == CodeKind.Link
            ? new PosterContent(community.Name, community.StreetName, hotlines, codes.LinkMatrix(community.Code), codes.LinkUrl(community.Code), null)
            : new PosterContent(community.Name, community.StreetName, hotlines, null, null, (await codes.WxaCodeAsync(community, ct)).Png);
    }

    public async Task<IReadOnlyList<(CommunityRow Community, PosterContent Poster)>> PrintSetAsync(string? streetCode, CodeKind kind, CancellationToken ct)
    {
        var set = new List<(CommunityRow, PosterContent)>();
        foreach (var community in await org.ListCommunitiesAsync(streetCode, ct))
        {
            set.Add((community, await ContentAsync(community, kind, ct)));
        }
        return set;
    }

    public void WritePdf(Stream output, IEnumerable<PosterContent> posters, CancellationToken ct, Action<int, PosterContent>? progress = null) =>
        renderer.WritePdf(output, posters.Select(p => { ct.ThrowIfCancellationRequested(); return p; }), progress);

    public void WriteZip(Stream output, IEnumerable<(CommunityRow Community, PosterContent Poster)> set, int dpi, CancellationToken ct,
        Action<int, PosterContent>? progress = null) =>
        renderer.WriteZip(output, set.Select(p => { ct.ThrowIfCancellationRequested(); return (FileName(p.Community, "png"), p.Poster); }), dpi, progress);

    public static string FileName(CommunityRow community, string extension) =>
        $"{community.StreetCode}/{community.Code}-{community.Name}.{extension}";
}

public static class PostersExtensions
{
    public static IServiceCollection AddPosters(this IServiceCollection services)
    {
        services.AddOptions<PosterOptions>().BindConfiguration(PosterOptions.Section);
        return services.AddSingleton<PosterRenderer>().AddSingleton<PosterService>();
    }
}
