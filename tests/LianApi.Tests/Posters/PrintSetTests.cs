using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LianApi.Communities;
using LianApi.Posters;
using LianApi.QrCodes;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Posters;

/// <summary>The print set (GET /api/posters): an ops job for the dispatch center and admins, named by codes, cancellable.</summary>
public sealed partial class PrintSetTests
{
    private const string Prefix = "https://lian.test.invalid/q/c/";
    private static LianApiFactory app = null!;
    private static readonly Dictionary<string, HttpClient> Callers = new();

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    private static HttpClient Dispatcher => Callers["dispatcher"];

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["QrCodes:LinkPrefix"] = Prefix,
            // Every caller below comes from the loopback address; the per-address limit has its own test.
            ["RateLimiting:PrintSetsPerMinute"] = "1000",
        });
        Callers["anonymous"] = app.CreateClient();
        Callers["resident"] = await app.LoginAsync("print-resident");
        Callers["community"] = await app.StaffAsync("print-community", "community", "gongyuanmen");
        Callers["street"] = await app.StaffAsync("print-street", "street", "beiyuanmen");
        Callers["dispatcher"] = await app.StaffAsync("print-dispatcher", "dispatcher", null);
        Callers["admin"] = await app.StaffAsync("print-admin", "admin", null);
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        foreach (var caller in Callers.Values)
        {
            caller.Dispose();
        }
        Callers.Clear();
        await app.DisposeAsync();
    }

    private static async Task<ZipArchive> ZipAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/zip"));
        return new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
    }

    private static async Task<byte[]> ReadAsync(ZipArchiveEntry entry)
    {
        using var bytes = new MemoryStream();
        await using (var stream = entry.Open())
        {
            await stream.CopyToAsync(bytes);
        }
        return bytes.ToArray();
    }

    [TestCase("anonymous", HttpStatusCode.Unauthorized)]
    [TestCase("resident", HttpStatusCode.Forbidden)]
    [TestCase("community", HttpStatusCode.Forbidden)]
    [TestCase("street", HttpStatusCode.Forbidden)]
    public async Task PrintSet_NotDispatcherOrAdmin_IsRefused(string caller, HttpStatusCode status)
    {
        var response = await Callers[caller].GetAsync("/api/posters?streetCode=beiyuanmen");

        await ProblemAssert.IsProblem(response, status);
    }

    [TestCase("dispatcher")]
    [TestCase("admin")]
    public async Task PrintSet_DispatcherOrAdmin_GetsThePdf(string caller)
    {
        var response = await Callers[caller].GetAsync("/api/posters?streetCode=beiyuanmen");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
    }

    [Test]
    public async Task PrintSet_Pdf_HasOnePagePerCommunity()
    {
        var count = (await app.Service<CommunityStore>().ListCommunitiesAsync(null, Ct)).Count;

        var response = await Dispatcher.GetAsync("/api/posters");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(PosterTests.PdfPages(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(count).And.GreaterThan(1));
    }

    [Test]
    public async Task PrintSet_ZipOfOneStreet_HasOneScannablePngPerCommunityOfThatStreet()
    {
        using var zip = await ZipAsync(await Dispatcher.GetAsync("/api/posters?streetCode=beiyuanmen&format=zip&preset=screen"));

        var entry = zip.Entries.Single();
        var png = await ReadAsync(entry);
        Assert.Multiple(() =>
        {
            Assert.That(entry.FullName, Is.EqualTo("beiyuanmen/gongyuanmen.png"));
            Assert.That(QrDecoder.DecodePng(png), Is.EqualTo(Prefix + "gongyuanmen"));
        });
    }

    [Test]
    public async Task PrintSet_CommunityNamesWithPathSegments_EntriesAreNamedByCodesOnly()
    {
        var csv = Path.Combine(app.DataDirectory, "escape.csv");
        await File.WriteAllTextAsync(csv, "code,street,name,address,latitude,longitude\n" +
            "escape-a,tumen,/../../../etc/cron.d/社区,,,\n" +
            "escape-b,tumen,..\\..\\windows\\社区/../x,,,\n", Encoding.UTF8, Ct);
        var imported = await new OrgImport(app.Service<CommunityStore>()).ImportCommunitiesAsync(csv, Ct);
        Assert.That(imported.Errors, Is.Empty, "free-text names may hold any character");

        using var zip = await ZipAsync(await Dispatcher.GetAsync("/api/posters?streetCode=tumen&format=zip"));

        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.SupersetOf(new[] { "tumen/escape-a.png", "tumen/escape-b.png" }));
            Assert.That(names, Has.All.Matches(SafeEntry()), "street code / community code, nothing else");
            Assert.That(names, Has.None.Contains(".."));
        });
    }

    [Test]
    public async Task PrintSet_Zip_ServesTheStoredPostersWithoutDrawingThemAgain()
    {
        var street = (await app.Service<CommunityStore>().FindCommunityAsync("huiminbeifang", Ct))!.StreetCode;
        var posters = new Dictionary<string, byte[]>();
        foreach (var community in await app.Service<CommunityStore>().ListCommunitiesAsync(street, Ct))
        {
            posters[$"{street}/{community.Code}.png"] =
                await Callers["anonymous"].GetByteArrayAsync($"/api/communities/{community.Code}/poster?format=png&preset=print");
        }
        var before = app.Service<RenderedImages>().RenderCount;

        using var zip = await ZipAsync(await Dispatcher.GetAsync($"/api/posters?streetCode={street}&format=zip&preset=print"));

        var entries = new Dictionary<string, byte[]>();
        foreach (var entry in zip.Entries)
        {
            entries[entry.FullName] = await ReadAsync(entry);
        }
        Assert.Multiple(() =>
        {
            Assert.That(entries, Is.EqualTo(posters), "the zip holds exactly the stored drawings");
            Assert.That(app.Service<RenderedImages>().RenderCount, Is.EqualTo(before), "nothing drawn twice");
        });
    }

    [TestCase("/api/posters?streetCode=no-such-street", "streetCode")]
    [TestCase("/api/posters?format=docx", "format")]
    [TestCase("/api/posters?format=zip&preset=poster", "preset")]
    [TestCase("/api/posters?format=zip&dpi=300", "dpi")]
    [TestCase("/api/posters?kind=barcode", "kind")]
    public async Task PrintSet_BadParameter_Is400NamingIt(string url, string parameter)
    {
        var problem = await ProblemAssert.IsProblem(await Dispatcher.GetAsync(url), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { parameter }));
    }

    [Test]
    public async Task PrintSet_TooOftenFromOneAddress_Is429()
    {
        await using var limited = new LianApiFactory(new Dictionary<string, string?> { ["RateLimiting:PrintSetsPerMinute"] = "1" });
        using var dispatcher = await limited.StaffAsync("limited-dispatcher", "dispatcher", null);

        await dispatcher.GetAsync("/api/posters?streetCode=tumen");
        var second = await dispatcher.GetAsync("/api/posters?streetCode=tumen");

        await ProblemAssert.IsProblem(second, HttpStatusCode.TooManyRequests);
        Assert.That(second.Headers.RetryAfter, Is.Not.Null);
    }

    [Test]
    public void PrintSet_HasAMinutesLongTimeout_NotTheApisFifteenSeconds()
    {
        var endpoint = app.Service<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Single(e => e.RoutePattern.RawText == "/api/posters");

        var policy = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutPolicy>();

        Assert.That(policy?.Timeout, Is.GreaterThanOrEqualTo(TimeSpan.FromMinutes(1)));
    }

    [TestCase("zip")]
    [TestCase("pdf")]
    public async Task PrintSet_CancelledAfterTheFirstPoster_StopsBeforeTheSecond(string format)
    {
        var communities = await app.Service<CommunityStore>().ListCommunitiesAsync(null, Ct);
        var posters = app.Service<PosterService>();
        using var cancel = new CancellationTokenSource();
        var written = 0;
        void Progress(int done, PosterContent _)
        {
            written = done;
            cancel.Cancel();
        }
        using var output = new MemoryStream();

        Task Write() => format == "zip"
            ? posters.WriteZipAsync(output, communities, CodeKind.Link, PosterPresets.Screen, cancel.Token, Progress)
            : posters.WritePdfAsync(output, communities, CodeKind.Link, cancel.Token, Progress);

        Assert.Multiple(() =>
        {
            Assert.That(communities, Has.Count.GreaterThan(1));
            Assert.That(Write, Throws.InstanceOf<OperationCanceledException>());
            Assert.That(written, Is.EqualTo(1), "nothing is drawn after the request is cancelled");
        });
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+/[A-Za-z0-9_-]+\\.png$")]
    private static partial Regex SafeEntry();
}
