using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Posters;

public sealed partial class PosterTests
{
    private const string Prefix = "https://lian.test.invalid/q/c/";
    private static LianApiFactory app = null!;
    private static HttpClient client = null!;

    [OneTimeSetUp]
    public static void Start()
    {
        app = new LianApiFactory(new Dictionary<string, string?> { ["QrCodes:LinkPrefix"] = Prefix });
        client = app.CreateClient();
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    private static int PdfPages(byte[] pdf) => PageObject().Matches(Encoding.Latin1.GetString(pdf)).Count;

    [Test]
    public async Task PosterPdf_IsOneA4PageWithTheChineseAndLatinFontsEmbedded()
    {
        var response = await client.GetAsync("/api/communities/gongyuanmen/poster");
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.Latin1.GetString(pdf);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
            Assert.That(text, Does.StartWith("%PDF-"));
            Assert.That(PdfPages(pdf), Is.EqualTo(1));
            Assert.That(text, Does.Match(@"/MediaBox \[0 0 595\.\d+ 841\.\d+\]"), "A4 in points");
            Assert.That(text, Does.Contain("DroidSansFallback"), "Chinese needs an embedded CJK font");
            Assert.That(text, Does.Contain("DejaVuSans"), "digits and the URL need a Latin font");
        });
    }

    [Test]
    public async Task PosterPng_CarriesAScannableCodeOfTheCommunity()
    {
        var response = await client.GetAsync("/api/communities/huiminbeifang/poster?format=png&dpi=150");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(QrDecoder.DecodePng(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(Prefix + "huiminbeifang"),
            "a phone scanning the printed poster must land on the community");
    }

    [Test]
    public async Task PrintSet_Pdf_HasOnePagePerCommunity()
    {
        var count = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/communities")).RootElement.GetArrayLength();

        var response = await client.GetAsync("/api/posters");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(PdfPages(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(count).And.GreaterThan(1));
    }

    [Test]
    public async Task PrintSet_ZipOfOneStreet_HasOneScannablePngPerCommunityOfThatStreet()
    {
        var response = await client.GetAsync("/api/posters?streetCode=beiyuanmen&format=zip&dpi=100");

        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        var entry = zip.Entries.Single();
        using var png = new MemoryStream();
        await using (var stream = entry.Open())
        {
            await stream.CopyToAsync(png);
        }
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/zip"));
            Assert.That(entry.FullName, Is.EqualTo("beiyuanmen/gongyuanmen-贡院门社区.png"));
            Assert.That(QrDecoder.DecodePng(png.ToArray()), Is.EqualTo(Prefix + "gongyuanmen"));
        });
    }

    [TestCase("/api/posters?streetCode=no-such-street", HttpStatusCode.BadRequest)]
    [TestCase("/api/posters?format=docx", HttpStatusCode.BadRequest)]
    [TestCase("/api/communities/no-such-place/poster", HttpStatusCode.NotFound)]
    [TestCase("/api/communities/gongyuanmen/poster?dpi=5000", HttpStatusCode.BadRequest)]
    public async Task Poster_BadRequest_IsAProblem(string url, HttpStatusCode status)
    {
        await ProblemAssert.IsProblem(await client.GetAsync(url), status);
    }

    [Test]
    public async Task PrintSet_TooOftenFromOneAddress_Is429()
    {
        await using var limited = new LianApiFactory(new Dictionary<string, string?> { ["RateLimiting:PrintSetsPerMinute"] = "1" });
        var http = limited.CreateClient();

        await http.GetAsync("/api/posters?streetCode=tumen");
        var second = await http.GetAsync("/api/posters?streetCode=tumen");

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

    [GeneratedRegex(@"/Type\s*/Page\b(?!s)")]
    private static partial Regex PageObject();
}
