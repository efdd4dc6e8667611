using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LianApi.Communities;
using LianApi.Posters;
using LianApi.QrCodes;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace LianApi.Tests.Posters;

/// <summary>A community's poster (anonymous, drawn once and stored) through real HTTP.</summary>
public sealed partial class PosterTests
{
    private const string Prefix = "https://lian.test.invalid/q/c/";
    private static LianApiFactory app = null!;
    private static HttpClient client = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

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

    internal static int PdfPages(byte[] pdf) => PageObject().Matches(Encoding.Latin1.GetString(pdf)).Count;

    private static long Renders => app.Service<RenderedImages>().RenderCount;

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
            Assert.That(response.Content.Headers.ContentDisposition?.FileNameStar, Is.EqualTo("gongyuanmen.pdf"), "file names from codes only");
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
        var response = await client.GetAsync("/api/communities/huiminbeifang/poster?format=png&preset=screen");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(QrDecoder.DecodePng(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo(Prefix + "huiminbeifang"),
            "a phone scanning the printed poster must land on the community");
    }

    [TestCase("screen", 794, 1123)]
    [TestCase("print", 2480, 3508)]
    public async Task PosterPng_Preset_IsA4AtItsResolution(string preset, int width, int height)
    {
        var png = await client.GetByteArrayAsync($"/api/communities/taoyuanlu-center1/poster?format=png&preset={preset}");

        using var bitmap = SKBitmap.Decode(png);
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((width, height)));
    }

    [Test]
    public async Task PosterPng_NoPreset_IsScreen()
    {
        var screen = await client.GetAsync("/api/communities/gongyuanmen/poster?format=png&preset=screen");
        var unset = await client.GetAsync("/api/communities/gongyuanmen/poster?format=png");

        Assert.That(unset.Headers.ETag, Is.EqualTo(screen.Headers.ETag));
    }

    [Test]
    public async Task Poster_SecondRequest_IsTheStoredBytesNotANewDrawing()
    {
        var before = Renders;

        var first = await client.GetAsync("/api/communities/daxingdonglu/poster?format=png&preset=print");
        var second = await client.GetAsync("/api/communities/daxingdonglu/poster?format=png&preset=print");

        Assert.Multiple(async () =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await second.Content.ReadAsByteArrayAsync(), Is.EqualTo(await first.Content.ReadAsByteArrayAsync()));
            Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(Renders - before, Is.EqualTo(1), "the print-size poster is drawn once");
        });
    }

    [Test]
    public async Task Poster_IfNoneMatch_Is304WithoutDrawing()
    {
        var first = await client.GetAsync("/api/communities/zaoyuanxilu/poster");
        var before = Renders;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/communities/zaoyuanxilu/poster");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var revalidated = await client.SendAsync(again);

        Assert.Multiple(async () =>
        {
            Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(revalidated.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(await revalidated.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(Renders, Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Poster_CommunityRenamed_IsDrawnAgainWithTheNewNameAndTheOldDrawingIsGone()
    {
        var org = app.Service<CommunityStore>();
        var streets = (await org.ListStreetsAsync(Ct)).ToDictionary(s => s.Code, s => s.Id);
        await org.UpsertCommunitiesAsync([new CommunityUpsert("rename-me", streets["beiyuanmen"], "旧名社区", null, null, null)], Ct);
        var old = await client.GetAsync("/api/communities/rename-me/poster?format=png");
        var before = Renders;
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/api/communities/rename-me/poster?format=png");
        revalidate.Headers.IfNoneMatch.Add(old.Headers.ETag!);

        await org.UpsertCommunitiesAsync([new CommunityUpsert("rename-me", streets["qingnianlu"], "新名社区", null, null, null)], Ct);
        var renamed = await client.SendAsync(revalidate);

        var id = (await org.FindCommunityAsync("rename-me", Ct))!.Id;
        Assert.Multiple(async () =>
        {
            Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old ETag no longer matches");
            Assert.That(renamed.Headers.ETag, Is.Not.EqualTo(old.Headers.ETag));
            Assert.That(await renamed.Content.ReadAsByteArrayAsync(), Is.Not.EqualTo(await old.Content.ReadAsByteArrayAsync()));
            Assert.That(Renders - before, Is.EqualTo(1));
            Assert.That(await StoredRowsAsync(id), Is.EqualTo(1), "one row per community and variant: the drawing of the old name is pruned");
        });
    }

    [Test]
    public void PosterKey_ChangesWithEveryInputThePosterShows()
    {
        var poster = new PosterContent("gongyuanmen", "贡院门社区", "北院门街道", [new EmergencyHotline("power-gas", "用电用气", "95598")], Prefix + "gongyuanmen", null);
        static PosterRenderer Renderer(Action<PosterOptions>? change = null)
        {
            var options = new PosterOptions();
            change?.Invoke(options);
            return new PosterRenderer(Options.Create(options));
        }
        var renderer = Renderer();

        string[] keys =
        [
            renderer.Key(poster, "png", 96),
            renderer.Key(poster, "png", 300),
            renderer.Key(poster, "pdf", 0),
            renderer.Key(poster with { CommunityCode = "other" }, "png", 96),
            renderer.Key(poster with { CommunityName = "新名社区" }, "png", 96),
            renderer.Key(poster with { StreetName = "青年路街道" }, "png", 96),
            renderer.Key(poster with { Hotlines = [] }, "png", 96),
            renderer.Key(poster with { Hotlines = [new EmergencyHotline("power-gas", "用电用气", "119")] }, "png", 96),
            renderer.Key(poster with { LinkUrl = "https://other.invalid/q/c/gongyuanmen" }, "png", 96),
            renderer.Key(poster with { LinkUrl = null, CodePng = [1, 2, 3] }, "png", 96),
            Renderer(o => o.Brand = "另一个品牌").Key(poster, "png", 96),
            Renderer(o => o.Instruction = "扫一扫").Key(poster, "png", 96),
            Renderer(o => o.Explanation = "说明").Key(poster, "png", 96),
            Renderer(o => o.Footer = "页脚").Key(poster, "png", 96),
            Renderer(o => o.PaperWidthMm = 297).Key(poster, "png", 96),
            Renderer(o => o.PaperHeightMm = 420).Key(poster, "png", 96),
        ];

        Assert.Multiple(() =>
        {
            Assert.That(keys, Is.Unique);
            Assert.That(Renderer().Key(poster, "png", 96), Is.EqualTo(keys[0]), "the same inputs give the same key, in any process");
        });
    }

    [TestCase("/api/communities/gongyuanmen/poster?format=docx", "format")]
    [TestCase("/api/communities/gongyuanmen/poster?kind=barcode", "kind")]
    [TestCase("/api/communities/gongyuanmen/poster?format=png&preset=600", "preset")]
    [TestCase("/api/communities/gongyuanmen/poster?format=png&dpi=600", "dpi")]
    public async Task Poster_BadParameter_Is400NamingIt(string url, string parameter)
    {
        var problem = await ProblemAssert.IsProblem(await client.GetAsync(url), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { parameter }));
    }

    [Test]
    public async Task Poster_UnknownCommunity_Is404Problem()
    {
        await ProblemAssert.IsProblem(await client.GetAsync("/api/communities/no-such-place/poster"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task PosterRender_CancelledToken_StopsWithoutDrawing()
    {
        var org = app.Service<CommunityStore>();
        var community = (await org.FindCommunityAsync("gongyuanmen", Ct))!;
        var posters = app.Service<PosterService>();
        var poster = await posters.ContentAsync(community, CodeKind.Link, null, Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Multiple(() =>
        {
            Assert.Throws<OperationCanceledException>(() => posters.Render(poster, "png", PosterPresets.Print, cancelled.Token));
            Assert.Throws<OperationCanceledException>(() => posters.Render(poster, "pdf", PosterPresets.Print, cancelled.Token));
            Assert.That(() => app.Service<RenderedImages>().FindOrRenderAsync(
                posters.Describe(community, poster with { CommunityName = "从未画过" }, CodeKind.Link, "png", PosterPresets.Print),
                token => posters.Render(poster, "png", PosterPresets.Print, token), cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        });
    }

    private static Task<int> StoredRowsAsync(long communityId) =>
        app.Service<LianApi.Data.Database>().ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<int>(c, new Dapper.CommandDefinition(
            "SELECT COUNT(*) FROM RenderedImages WHERE CommunityId = @CommunityId", new { CommunityId = communityId }, cancellationToken: Ct)), Ct);

    [GeneratedRegex(@"/Type\s*/Page\b(?!s)")]
    private static partial Regex PageObject();
}
