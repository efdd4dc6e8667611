using System.Net;
using System.Net.Http.Headers;
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

    [Test]
    public async Task LinkPng_SizeAndMargin_AreHonoured()
    {
        static async Task<int> WidthAsync(HttpResponseMessage r)
        {
            using var bitmap = SKBitmap.Decode(await r.Content.ReadAsByteArrayAsync());
            return bitmap.Width;
        }

        var small = await client.GetAsync("/api/communities/gongyuanmen/qrcode?size=200&margin=0");
        var large = await client.GetAsync("/api/communities/gongyuanmen/qrcode?size=1000&margin=8");

        Assert.Multiple(async () =>
        {
            Assert.That(await WidthAsync(small), Is.InRange(100, 200));
            Assert.That(await WidthAsync(large), Is.InRange(800, 1000));
            Assert.That(QrDecoder.DecodePng(await large.Content.ReadAsByteArrayAsync()), Is.EqualTo(Prefix + "gongyuanmen"));
        });
    }

    [Test]
    public async Task QrCode_SameImageAgain_IsA304ByETag()
    {
        var first = await client.GetAsync("/api/communities/gongyuanmen/qrcode?size=300");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/communities/gongyuanmen/qrcode?size=300");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var revalidated = await client.SendAsync(again);

        Assert.Multiple(() =>
        {
            Assert.That(first.Headers.ETag, Is.Not.Null);
            Assert.That(first.Headers.CacheControl?.Public, Is.True);
            Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        });
    }

    [TestCase("/api/communities/no-such-place/qrcode", HttpStatusCode.NotFound)]
    [TestCase("/api/communities/gongyuanmen/qrcode?kind=barcode", HttpStatusCode.BadRequest)]
    [TestCase("/api/communities/gongyuanmen/qrcode?format=gif", HttpStatusCode.BadRequest)]
    [TestCase("/api/communities/gongyuanmen/qrcode?size=10", HttpStatusCode.BadRequest)]
    [TestCase("/api/communities/gongyuanmen/qrcode?margin=99", HttpStatusCode.BadRequest)]
    [TestCase("/api/communities/gongyuanmen/qrcode?kind=wxacode&format=svg", HttpStatusCode.BadRequest)]
    public async Task QrCode_BadRequest_IsAProblem(string url, HttpStatusCode status)
    {
        await ProblemAssert.IsProblem(await client.GetAsync(url), status);
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
