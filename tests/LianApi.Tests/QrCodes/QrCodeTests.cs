using System.Net;
using LianApi.QrCodes;
using LianApi.Tests.Infrastructure;
using SkiaSharp;

namespace LianApi.Tests.QrCodes;

public sealed class QrCodeTests
{
    private const string Prefix = "https://lian.test.invalid/q/c/";
    private static LianApiFactory app = null!;
    private static HttpClient client = null!;

    [OneTimeSetUp]
    public static void Start()
    {
        app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["QrCodes:LinkPrefix"] = Prefix,
            ["QrCodes:VerificationFileName"] = "Kd8sYq2x.txt",
            ["QrCodes:VerificationFileContent"] = "5f2b0c7e9a1d",
        });
        client = app.CreateClient();
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    [TestCase("gongyuanmen")]
    [TestCase("taoyuanlu-center1")]
    public async Task LinkPng_DecodesToExactlyThePrefixAndTheCommunityCode(string code)
    {
        var response = await client.GetAsync($"/api/communities/{code}/qrcode");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(QrDecoder.DecodePng(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(Prefix + code));
    }

    [Test]
    public async Task LinkSvg_DecodesToTheSameUrl()
    {
        var svg = await client.GetStringAsync("/api/communities/gongyuanmen/qrcode?format=svg");

        Assert.That(svg, Does.StartWith("<svg"));
        Assert.That(QrDecoder.DecodeSvg(svg), Is.EqualTo(Prefix + "gongyuanmen"));
    }

    [TestCase("small", 256)]
    [TestCase("medium", 512)]
    [TestCase("large", 1024)]
    public async Task LinkPng_Preset_IsAtMostItsWidthAndScannable(string preset, int width)
    {
        var response = await client.GetAsync($"/api/communities/gongyuanmen/qrcode?preset={preset}");
        var png = await response.Content.ReadAsByteArrayAsync();

        using var bitmap = SKBitmap.Decode(png);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            // Whole pixels per module: the largest multiple of the module count that fits the preset.
            Assert.That(bitmap.Width, Is.InRange(width * 3 / 4, width));
            Assert.That(QrDecoder.DecodePng(png), Is.EqualTo(Prefix + "gongyuanmen"));
        });
    }

    [Test]
    public async Task LinkPng_NoPreset_IsMedium()
    {
        var medium = await client.GetAsync("/api/communities/gongyuanmen/qrcode?preset=medium");
        var unset = await client.GetAsync("/api/communities/gongyuanmen/qrcode");

        Assert.That(unset.Headers.ETag, Is.EqualTo(medium.Headers.ETag));
    }

    [Test]
    public async Task QrCode_SameImageAgain_IsA304ByETag()
    {
        var first = await client.GetAsync("/api/communities/gongyuanmen/qrcode?preset=small");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/communities/gongyuanmen/qrcode?preset=small");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var revalidated = await client.SendAsync(again);

        Assert.Multiple(() =>
        {
            Assert.That(first.Headers.ETag, Is.Not.Null);
            Assert.That(first.Headers.CacheControl?.Public, Is.True);
            Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(revalidated.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        });
    }

    [Test]
    public async Task QrCode_SecondRequest_IsServedFromStorageNotDrawnAgain()
    {
        var images = app.Service<RenderedImages>();
        var before = images.RenderCount;

        var first = await client.GetByteArrayAsync("/api/communities/zaoyuanxilu/qrcode?preset=large");
        var second = await client.GetByteArrayAsync("/api/communities/zaoyuanxilu/qrcode?preset=large");

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(images.RenderCount - before, Is.EqualTo(1), "drawn once, then served as stored");
        });
    }

    [TestCase("/api/communities/gongyuanmen/qrcode?kind=barcode", "kind")]
    [TestCase("/api/communities/gongyuanmen/qrcode?format=gif", "format")]
    [TestCase("/api/communities/gongyuanmen/qrcode?preset=huge", "preset")]
    [TestCase("/api/communities/gongyuanmen/qrcode?preset=4096", "preset")]
    [TestCase("/api/communities/gongyuanmen/qrcode?size=4096", "size")]
    [TestCase("/api/communities/gongyuanmen/qrcode?margin=4", "margin")]
    [TestCase("/api/communities/gongyuanmen/qrcode?kind=wxacode&format=svg", "format")]
    public async Task QrCode_BadParameter_Is400NamingIt(string url, string parameter)
    {
        var problem = await ProblemAssert.IsProblem(await client.GetAsync(url), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { parameter }));
    }

    [Test]
    public async Task QrCode_UnknownCommunity_Is404Problem()
    {
        await ProblemAssert.IsProblem(await client.GetAsync("/api/communities/no-such-place/qrcode"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Wxacode_InEmulatorMode_IsAMarkedStandInCarryingTheScene()
    {
        var response = await client.GetAsync("/api/communities/zaoyuanxilu/qrcode?kind=wxacode");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.GetValues("X-Lian-Emulated").Single(), Is.EqualTo("true"));
            Assert.That(QrDecoder.DecodePng(await response.Content.ReadAsByteArrayAsync()),
                Is.EqualTo("EMULATED-WXACODE page=pages/community/index scene=zaoyuanxilu"));
        });
    }

    [TestCase("/Kd8sYq2x.txt")]
    [TestCase("/q/c/Kd8sYq2x.txt")]
    public async Task VerificationFile_IsServedWhereWechatLooks(string path)
    {
        var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("5f2b0c7e9a1d"));
    }
}
