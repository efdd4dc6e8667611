using System.Net;
using Dapper;
using LianApi.Data;
using LianApi.QrCodes;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.QrCodes;

/// <summary>
/// The process-wide cap on drawing, through real HTTP. The test holds the gate's only slot itself, so "full" is
/// a fact rather than a race; a queue timeout of zero turns waiting into an immediate answer.
/// </summary>
public sealed class RenderGateTests
{
    private static LianApiFactory app = null!;
    private static HttpClient client = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public static void Start()
    {
        app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Rendering:MaxConcurrentRenders"] = "1",
            ["Rendering:QueueTimeout"] = "00:00:00",
            ["RateLimiting:PrintSetsPerMinute"] = "1000",
        });
        client = app.CreateClient();
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    private static async Task<IDisposable> HoldTheOnlySlotAsync() =>
        await app.Service<RenderGate>().TryEnterAsync(Ct) ?? throw new AssertionException("the gate was not free at the start of the test");

    private static long Renders => app.Service<RenderedImages>().RenderCount;

    [TestCase("/api/communities/gongyuanmen/poster?format=png&preset=print")]
    [TestCase("/api/communities/gongyuanmen/poster?format=pdf")]
    [TestCase("/api/communities/gongyuanmen/qrcode?preset=large")]
    [TestCase("/api/communities/gongyuanmen/qrcode?kind=wxacode")]
    public async Task Image_GateFull_Is503WithRetryAfterAndNothingDrawn(string url)
    {
        var before = Renders;
        HttpResponseMessage busy;
        using (await HoldTheOnlySlotAsync())
        {
            busy = await client.GetAsync(url);
        }
        var later = await client.GetAsync(url);

        await ProblemAssert.IsProblem(busy, HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(() =>
        {
            Assert.That(busy.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(busy.Headers.CacheControl?.Public ?? false, Is.False, "a 503 must not be cached as the image");
            Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the slot is free again");
            Assert.That(Renders - before, Is.EqualTo(1), "only the later request drew");
        });
    }

    [Test]
    public async Task Image_GateFull_StoredDrawingIsStillServed()
    {
        var drawn = await client.GetByteArrayAsync("/api/communities/huiminbeifang/poster?format=png");

        HttpResponseMessage stored;
        using (await HoldTheOnlySlotAsync())
        {
            stored = await client.GetAsync("/api/communities/huiminbeifang/poster?format=png");
        }

        Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await stored.Content.ReadAsByteArrayAsync(), Is.EqualTo(drawn));
    }

    [Test]
    public async Task Image_IfNoneMatch_Is304FromTheKeyAloneBeforeLoadingOrDrawing()
    {
        var first = await client.GetAsync("/api/communities/taoyuanlu-center1/poster?format=png&preset=print");
        // Nothing stored and no slot free: only an answer from the key can be a 304 now.
        await app.Service<Database>().WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition("DELETE FROM RenderedImages", transaction: tx, cancellationToken: Ct)), Ct);
        var before = Renders;
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/api/communities/taoyuanlu-center1/poster?format=png&preset=print");
        revalidate.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        HttpResponseMessage answer;
        using (await HoldTheOnlySlotAsync())
        {
            answer = await client.SendAsync(revalidate);
        }

        Assert.Multiple(() =>
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(answer.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(Renders, Is.EqualTo(before));
        });
    }

    [Test]
    public async Task PrintSet_GateFull_Is503WithRetryAfter()
    {
        using var dispatcher = await app.StaffAsync("gate-dispatcher", "dispatcher", null);

        HttpResponseMessage busy;
        using (await HoldTheOnlySlotAsync())
        {
            busy = await dispatcher.GetAsync("/api/posters?streetCode=beiyuanmen&format=zip");
        }

        await ProblemAssert.IsProblem(busy, HttpStatusCode.ServiceUnavailable);
        Assert.That(busy.Headers.RetryAfter, Is.Not.Null);
    }

    [Test]
    public async Task Image_WaitingRequest_IsDrawnOnceTheSlotFrees()
    {
        await using var patient = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Rendering:MaxConcurrentRenders"] = "1",
            ["Rendering:QueueTimeout"] = "00:01:00",
        });
        var gate = patient.Service<RenderGate>();
        using var http = patient.CreateClient();
        Task<HttpResponseMessage> waiting;
        using (await gate.TryEnterAsync(Ct))
        {
            waiting = http.GetAsync("/api/communities/gongyuanmen/poster?format=png", Ct);
            while (gate.Waiting == 0 && !waiting.IsCompleted)
            {
                await Task.Yield();
            }
            Assert.That(waiting.IsCompleted, Is.False, "the request waits while the slot is held");
        }

        Assert.That((await waiting).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Image_QueueFull_Is503AtOnceInsteadOfWaiting()
    {
        await using var strict = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Rendering:MaxConcurrentRenders"] = "1",
            ["Rendering:QueueLimit"] = "0",
            // Were the request queued, the test would hang for a minute; the empty queue answers at once.
            ["Rendering:QueueTimeout"] = "00:01:00",
        });
        using var http = strict.CreateClient();

        HttpResponseMessage busy;
        using (await strict.Service<RenderGate>().TryEnterAsync(Ct))
        {
            busy = await http.GetAsync("/api/communities/gongyuanmen/poster?format=png", Ct);
        }

        await ProblemAssert.IsProblem(busy, HttpStatusCode.ServiceUnavailable);
    }
}
