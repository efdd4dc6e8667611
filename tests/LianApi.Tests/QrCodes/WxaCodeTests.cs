using System.Net;
using System.Text.Json;
using LianApi.QrCodes;
using LianApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using SkiaSharp;

namespace LianApi.Tests.QrCodes;

/// <summary>getwxacodeunlimit against the loopback fake: an image, a JSON error, and a token that expires mid-call.</summary>
public sealed class WxaCodeTests
{
    private const string StableToken = "cgi-bin/stable_token";
    private const string WxaCode = "wxa/getwxacodeunlimit";

    private FakeWechatServer wechat = null!;
    private LianApiFactory app = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        wechat = await FakeWechatServer.StartAsync();
        var settings = wechat.LiveSettings();
        settings["QrCodes:WxaPage"] = "pages/report/index";
        settings["QrCodes:WxaEnvVersion"] = "trial";
        // A full gate answers at once instead of after the default two seconds.
        settings["Rendering:QueueTimeout"] = "00:00:00";
        app = new LianApiFactory(settings);
        client = app.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await wechat.DisposeAsync();
    }

    /// <summary>What WeChat sends: a JPEG, here of a QR code so the test can read it back.</summary>
    private static byte[] WechatJpeg(string text)
    {
        using var bitmap = SKBitmap.Decode(QrImages.Png(QrMatrix.Encode(text), 430, 4));
        using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        return jpeg.ToArray();
    }

    private static Func<HttpContext, Task> Image(byte[] bytes) => async context =>
    {
        // WeChat's Content-Type is not to be trusted; the bytes decide.
        context.Response.ContentType = "text/plain";
        await context.Response.Body.WriteAsync(bytes);
    };

    [Test]
    public async Task Wxacode_FromWechat_IsServedAsPngAndFetchedOnlyOnce()
    {
        wechat.OnJson(StableToken, """{"access_token":"TOKEN","expires_in":7200}""");
        wechat.On(WxaCode, Image(WechatJpeg("real-wxacode")));

        var first = await client.GetAsync("/api/communities/gongyuanmen/qrcode?kind=wxacode");
        var second = await client.GetAsync("/api/communities/gongyuanmen/qrcode?kind=wxacode");

        var (_, query, body) = wechat.Requests.Single(r => r.Path == WxaCode);
        var sent = JsonDocument.Parse(body).RootElement;
        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(first.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            Assert.That(QrDecoder.DecodePng(await first.Content.ReadAsByteArrayAsync()), Is.EqualTo("real-wxacode"));
            Assert.That(first.Headers.Contains("X-Lian-Emulated"), Is.False);
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(wechat.CallsTo(WxaCode), Is.EqualTo(1), "codes are permanent: generated once, served from storage");
            Assert.That(query, Does.Contain("access_token=TOKEN"));
            Assert.That(sent.GetProperty("scene").GetString(), Is.EqualTo("gongyuanmen"));
            Assert.That(sent.GetProperty("page").GetString(), Is.EqualTo("pages/report/index"));
            Assert.That(sent.GetProperty("env_version").GetString(), Is.EqualTo("trial"));
        });
    }

    [Test]
    public async Task Wxacode_IfNoneMatch_Is304WithoutAskingWechatOrDrawing()
    {
        wechat.OnJson(StableToken, """{"access_token":"TOKEN","expires_in":7200}""");
        wechat.On(WxaCode, Image(WechatJpeg("real-wxacode")));
        var first = await client.GetAsync("/api/communities/gongyuanmen/qrcode?kind=wxacode&preset=large");
        var drawn = app.Service<RenderedImages>().RenderCount;
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/api/communities/gongyuanmen/qrcode?kind=wxacode&preset=large");
        revalidate.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var revalidated = await client.SendAsync(revalidate);

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(wechat.CallsTo(WxaCode), Is.EqualTo(1));
            Assert.That(app.Service<RenderedImages>().RenderCount, Is.EqualTo(drawn));
        });
    }

    [Test]
    public async Task Wxacode_PresetsOfOneCode_AreResizedFromTheOneFetchedImage()
    {
        wechat.OnJson(StableToken, """{"access_token":"TOKEN","expires_in":7200}""");
        wechat.On(WxaCode, Image(WechatJpeg("real-wxacode")));

        var widths = new List<int>();
        foreach (var preset in new[] { "small", "medium", "large" })
        {
            using var bitmap = SKBitmap.Decode(await client.GetByteArrayAsync($"/api/communities/gongyuanmen/qrcode?kind=wxacode&preset={preset}"));
            widths.Add(bitmap.Width);
        }

        Assert.Multiple(() =>
        {
            Assert.That(widths, Is.EqualTo(new[] { 256, 512, 1024 }));
            Assert.That(wechat.CallsTo(WxaCode), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Wxacode_FirstFetchWhileTheGateIsFull_Is503WithoutCallingWechat()
    {
        wechat.OnJson(StableToken, """{"access_token":"TOKEN","expires_in":7200}""");
        wechat.On(WxaCode, Image(WechatJpeg("real-wxacode")));
        var gate = app.Service<RenderGate>();
        var slots = new List<IDisposable>();
        while (await gate.TryEnterAsync(CancellationToken.None) is { } slot)
        {
            slots.Add(slot);
        }

        HttpResponseMessage busy;
        try
        {
            busy = await client.GetAsync("/api/communities/gongyuanmen/qrcode?kind=wxacode");
        }
        finally
        {
            slots.ForEach(s => s.Dispose());
        }

        await ProblemAssert.IsProblem(busy, HttpStatusCode.ServiceUnavailable);
        Assert.That(wechat.CallsTo(WxaCode), Is.Zero);
    }

    [TestCase("""{"errcode":-1,"errmsg":"system busy"}""", TestName = "Wxacode_WechatBusy_Is503AndNothingIsStored")]
    [TestCase("""{"errcode":45009,"errmsg":"reach max api minute quota"}""", TestName = "Wxacode_WechatQuota_Is503AndNothingIsStored")]
    public async Task Wxacode_WechatError_IsAProblemNotABrokenImage(string error)
    {
        wechat.OnJson(StableToken, """{"access_token":"TOKEN","expires_in":7200}""");
        wechat.OnJson(WxaCode, error);

        var failed = await client.GetAsync("/api/communities/gongyuanmen/qrcode?kind=wxacode");
        wechat.On(WxaCode, Image(WechatJpeg("after-the-error")));
        var later = await client.GetAsync("/api/communities/gongyuanmen/qrcode?kind=wxacode");

        await ProblemAssert.IsProblem(failed, HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(async () =>
        {
            Assert.That(failed.Headers.RetryAfter, Is.Not.Null);
            Assert.That(QrDecoder.DecodePng(await later.Content.ReadAsByteArrayAsync()), Is.EqualTo("after-the-error"), "the error was not stored");
        });
    }

    [Test]
    public async Task Wxacode_TokenExpiresMidCall_RefreshesOnceAndRetries()
    {
        wechat.On(StableToken, FakeWechatServer.Sequence(
            FakeWechatServer.Json("""{"access_token":"OLD","expires_in":7200}"""),
            FakeWechatServer.Json("""{"access_token":"NEW","expires_in":7200}""")));
        wechat.On(WxaCode, FakeWechatServer.Sequence(
            FakeWechatServer.Json("""{"errcode":42001,"errmsg":"access_token expired"}"""),
            Image(WechatJpeg("after-refresh"))));

        var response = await client.GetAsync("/api/communities/gongyuanmen/qrcode?kind=wxacode");

        var tokensUsed = wechat.Requests.Where(r => r.Path == WxaCode).Select(r => r.Query).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(QrDecoder.DecodePng(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo("after-refresh"));
            Assert.That(wechat.CallsTo(StableToken), Is.EqualTo(2));
            Assert.That(tokensUsed, Has.Count.EqualTo(2));
            Assert.That(tokensUsed[0], Does.Contain("access_token=OLD"));
            Assert.That(tokensUsed[1], Does.Contain("access_token=NEW"));
        });
    }
}
