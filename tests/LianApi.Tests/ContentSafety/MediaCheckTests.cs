using System.Text.Json;
using Dapper;
using LianApi.ContentSafety;
using LianApi.Data;
using LianApi.Tests.Infrastructure;
using LianApi.Wechat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.ContentSafety;

/// <summary>
/// Image checks as the photos feature will use them: submitted for a trace_id, the result pushed back later. The emulator
/// pushes its own wxa_media_check into the push path after a short delay; Live calls media_check_async.
/// </summary>
public sealed class MediaCheckTests
{
    [TestCase("楼道积水.jpg", "pass")]
    [TestCase("lian-test-risky-1.jpg", "risky")]
    [TestCase("测试违规.png", "risky")]
    [TestCase("test-review.jpg", "review")]
    public async Task Emulator_PushesItsResultThroughThePushPathAfterTheDelay(string fileName, string expected)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var results = new ResultHandler();
        await using var app = new LianApiFactory(configureServices: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton<IMediaCheckResultHandler>(results);
        });
        app.StartServer();

        var traceId = await app.Service<IMediaChecker>().SubmitAsync(new MediaCheckSubmission(1, "https://lian.example.invalid/p/1?sig=x", 3, fileName), CancellationToken.None);
        var early = results.First.Task.IsCompleted;
        clock.Advance(EmulatedMediaChecker.Delay);
        // A bound on the wait for the event, not a measurement.
        var result = await results.First.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var stored = await app.Service<Database>().ReadAsync(c => c.QuerySingleAsync<(string Event, string Body)>(
            "SELECT Event, Body FROM WechatPushEvents"), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(early, Is.False, "the result comes later, as WeChat's would");
            Assert.That(result.TraceId, Is.EqualTo(traceId));
            Assert.That(result.Suggest, Is.EqualTo(expected));
            Assert.That(stored.Event, Is.EqualTo("wxa_media_check"));
            Assert.That(JsonDocument.Parse(stored.Body).RootElement.GetProperty("trace_id").GetString(), Is.EqualTo(traceId));
        });
    }

    [Test]
    public async Task Live_SubmitsTheUrlAndAnswersWechatsTraceId()
    {
        await using var wechat = await FakeWechatServer.StartAsync();
        wechat.AcceptLoginsAndTokens();
        wechat.OnJson("wxa/media_check_async", """{"errcode":0,"errmsg":"ok","trace_id":"trace-media-77"}""");
        await using var app = new LianApiFactory(wechat.LiveSettings());
        await app.LoginAsync("photo-owner");

        var traceId = await app.Service<IMediaChecker>().SubmitAsync(new MediaCheckSubmission(1, "https://lian.example.invalid/p/1?sig=x", 3), CancellationToken.None);

        var sent = JsonDocument.Parse(wechat.BodiesOf("wxa/media_check_async").Single()).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(traceId, Is.EqualTo("trace-media-77"));
            Assert.That(sent.GetProperty("media_url").GetString(), Is.EqualTo("https://lian.example.invalid/p/1?sig=x"));
            Assert.That(sent.GetProperty("media_type").GetInt32(), Is.EqualTo(2), "an image");
            Assert.That(sent.GetProperty("version").GetInt32(), Is.EqualTo(2));
            Assert.That(sent.GetProperty("scene").GetInt32(), Is.EqualTo(3));
            Assert.That(sent.GetProperty("openid").GetString(), Is.EqualTo("o-photo-owner"));
        });
    }

    [Test]
    public async Task Live_WechatRefuses_Throws()
    {
        await using var wechat = await FakeWechatServer.StartAsync();
        wechat.AcceptLoginsAndTokens();
        wechat.OnJson("wxa/media_check_async", """{"errcode":61010,"errmsg":"user access expired"}""");
        await using var app = new LianApiFactory(wechat.LiveSettings());
        await app.LoginAsync("photo-owner-2");

        var e = Assert.ThrowsAsync<WechatException>(() => app.Service<IMediaChecker>().SubmitAsync(
            new MediaCheckSubmission(1, "https://lian.example.invalid/p/2", 3), CancellationToken.None));

        Assert.That(e!.ErrorCode, Is.EqualTo(61010));
    }

    private sealed class ResultHandler : IMediaCheckResultHandler
    {
        public TaskCompletionSource<MediaCheckResult> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ApplyAsync(MediaCheckResult result, CancellationToken ct)
        {
            First.TrySetResult(result);
            return Task.CompletedTask;
        }
    }
}
