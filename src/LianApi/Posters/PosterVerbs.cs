using System.CommandLine;
using System.Diagnostics;
using LianApi.Communities;
using LianApi.QrCodes;

namespace LianApi.Posters;

/// <summary><c>posters --out DIR</c>: the print set offline, one PDF and a zip of PNGs, without the API's render gate.</summary>
internal static class PosterVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var output = new Option<string>("--out") { Description = "The folder to write posters.pdf and posters.zip into.", HelpName = "dir", Required = true };
        var street = new Option<string>("--street") { Description = "Only this street's communities.", HelpName = "code" };
        var kind = new Option<string>("--kind") { Description = "The code on the posters: link (a plain QR code) or wxacode.", HelpName = "link|wxacode" };
        kind.AcceptOnlyFromAmong("link", "wxacode");
        var preset = new Option<string>("--preset") { Description = "The PNGs' size: screen or print.", HelpName = "screen|print" };
        preset.AcceptOnlyFromAmong(PosterPresets.Screen, PosterPresets.Print);
        var command = new Command("posters", "Write every community's poster as posters.pdf and posters.zip.") { output, street, kind, preset };
        command.SetAction((parsed, ct) => WriteAsync(services, parsed.GetRequiredValue(output), parsed.GetValue(street),
            ImageResponses.ParseKind(parsed.GetValue(kind)), parsed.GetValue(preset) ?? PosterPresets.Screen, ct));
        return command;
    }

    private static async Task<int> WriteAsync(IServiceProvider services, string directory, string? street, CodeKind kind, string preset, CancellationToken ct)
    {
        var posters = services.GetRequiredService<PosterService>();
        var clock = Stopwatch.StartNew();
        // Offline, so no render gate: this process draws nothing else.
        var communities = await services.GetRequiredService<CommunityStore>().ListCommunitiesAsync(street, ct);
        if (communities.Count == 0)
        {
            Console.Error.WriteLine("No communities to print.");
            return 1;
        }
        Directory.CreateDirectory(directory);
        void Progress(string what, int done, PosterContent poster) =>
            Console.WriteLine($"  {what} [{done,3}/{communities.Count}] {poster.StreetName} {poster.CommunityName}");
        var pdf = Path.Combine(directory, "posters.pdf");
        await using (var file = File.Create(pdf))
        {
            await posters.WritePdfAsync(file, communities, kind, ct, (n, p) => Progress("pdf", n, p));
        }
        var zip = Path.Combine(directory, "posters.zip");
        await using (var file = File.Create(zip))
        {
            await posters.WriteZipAsync(file, communities, kind, preset, ct, (n, p) => Progress("png", n, p));
        }
        Console.WriteLine($"Wrote {pdf} ({communities.Count} pages) and {zip} in {clock.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }
}
