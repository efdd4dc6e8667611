using System.IO.Compression;
using LianApi.Communities;
using LianApi.QrCodes;

namespace LianApi.Posters;

/// <summary>Collects what a community's poster shows, then has it drawn one at a time or as a print set.</summary>
public sealed class PosterService(CommunityStore org, QrCodeService codes, PosterRenderer renderer, RenderedImages images)
{
    /// <summary>The poster's content; <paramref name="wxacode"/> is the community's mini-program code for that kind.</summary>
    public async Task<PosterContent> ContentAsync(CommunityRow community, CodeKind kind, CodeImage? wxacode, CancellationToken ct)
    {
        var hotlines = community.AsLanding(await org.ListCategoriesAsync(ct), [], null).EmergencyHotlines;
        return kind == CodeKind.Link
            ? new PosterContent(community.Code, community.Name, community.StreetName, hotlines, codes.LinkUrl(community.Code), null)
            : new PosterContent(community.Code, community.Name, community.StreetName, hotlines, null,
                (wxacode ?? throw new ArgumentNullException(nameof(wxacode), "A wxacode poster shows the community's mini-program code.")).Png);
    }

    public ImageSpec Describe(CommunityRow community, PosterContent poster, CodeKind kind, string format, string preset) =>
        format == "pdf"
            ? new ImageSpec(community.Id, $"poster/{QrCodeService.KindName(kind)}/pdf", renderer.Key(poster, "pdf", 0), "application/pdf")
            : new ImageSpec(community.Id, $"poster/{QrCodeService.KindName(kind)}/png/{preset}",
                renderer.Key(poster, "png", PosterPresets.Dpi(preset)), "image/png");

    public byte[] Render(PosterContent poster, string format, string preset, CancellationToken ct) =>
        format == "pdf" ? renderer.Pdf(poster, ct) : renderer.Png(poster, PosterPresets.Dpi(preset), ct);

    /// <summary>One page per community, drawn one after another; a cancelled request stops between two pages.</summary>
    public async Task WritePdfAsync(Stream output, IReadOnlyList<CommunityRow> communities, CodeKind kind, CancellationToken ct,
        Action<int, PosterContent>? progress = null)
    {
        using var pdf = renderer.BeginPdf(output);
        var number = 0;
        foreach (var community in communities)
        {
            ct.ThrowIfCancellationRequested();
            var poster = await PrintContentAsync(community, kind, ct);
            pdf.Add(poster);
            progress?.Invoke(++number, poster);
        }
        pdf.Close();
    }

    /// <summary>
    /// One PNG per community, each the stored drawing when there is one (drawn and stored otherwise), named from
    /// codes only: free-text names never become paths. A cancelled request stops between two posters.
    /// </summary>
    public async Task WriteZipAsync(Stream output, IReadOnlyList<CommunityRow> communities, CodeKind kind, string preset, CancellationToken ct,
        Action<int, PosterContent>? progress = null)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var number = 0;
        foreach (var community in communities)
        {
            ct.ThrowIfCancellationRequested();
            var poster = await PrintContentAsync(community, kind, ct);
            var png = await images.FindOrRenderAsync(Describe(community, poster, kind, "png", preset), token => Render(poster, "png", preset, token), ct);
            // PNGs are already compressed; deflating them again only costs time.
            var entry = zip.CreateEntry(EntryName(community), CompressionLevel.NoCompression);
            await using (var entryStream = entry.Open())
            {
                await entryStream.WriteAsync(png, ct);
            }
            progress?.Invoke(++number, poster);
        }
    }

    /// <summary>street/community.png, both codes made safe: a zip entry can never point outside its folder.</summary>
    public static string EntryName(CommunityRow community) =>
        $"{ImageResponses.SafeName(community.StreetCode)}/{ImageResponses.SafeName(community.Code)}.png";

    private async Task<PosterContent> PrintContentAsync(CommunityRow community, CodeKind kind, CancellationToken ct) =>
        await ContentAsync(community, kind, kind == CodeKind.Wxacode ? await codes.WxaCodeAsync(community, ct) : null, ct);
}
