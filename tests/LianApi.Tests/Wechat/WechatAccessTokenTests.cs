using LianApi.Tests.Infrastructure;
using LianApi.Wechat;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Wechat;

/// <summary>The access-token provider on /cgi-bin/stable_token, against the loopback fake.</summary>
public sealed class WechatAccessTokenTests
{
    private const string StableToken = "cgi-bin/stable_token";

    private FakeWechatServer wechat = null!;
    private LianApiFactory app = null!;
    private FakeTimeProvider clock = null!;

    [SetUp]
    public async Task StartAsync()
    {
        wechat = await FakeWechatServer.StartAsync();
        // Only the provider under test runs on the fake clock (starting now, as the client stamps expiries with real
        // time): Polly's delays and timeouts keep real time.
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        app = new LianApiFactory(wechat.LiveSettings());
        app.StartServer();
        provider = new WechatAccessTokenProvider(app.Services, clock);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await wechat.DisposeAsync();
    }

    private WechatAccessTokenProvider provider = null!;

    private WechatAccessTokenProvider Provider => provider;

    [Test]
    public async Task GetAsync_HundredConcurrentCallers_FetchOnce()
    {
        wechat.On(StableToken, async context =>
        {
            await Task.Delay(20);
            await FakeWechatServer.Json("""{"access_token":"TOKEN-1","expires_in":7200}""")(context);
        });

        var tokens = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => Provider.GetAsync(CancellationToken.None))));

        Assert.Multiple(() =>
        {
            Assert.That(tokens, Is.All.EqualTo("TOKEN-1"));
            Assert.That(wechat.CallsTo(StableToken), Is.EqualTo(1));
        });
        var (_, _, body) = wechat.Requests.Single();
        Assert.That(body, Does.Contain("\"grant_type\":\"client_credential\"").And.Contain("\"force_refresh\":false")
            .And.Contain(FakeWechatServer.AppId));
    }

    [Test]
    public async Task GetAsync_RefreshesShortlyBeforeTheExpiryWechatGave()
    {
        wechat.On(StableToken, FakeWechatServer.Sequence(
            FakeWechatServer.Json("""{"access_token":"FIRST","expires_in":600}"""),
            FakeWechatServer.Json("""{"access_token":"SECOND","expires_in":7200}""")));

        var first = await Provider.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(8));
        var stillFirst = await Provider.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1.5));
        var second = await Provider.GetAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("FIRST"));
            Assert.That(stillFirst, Is.EqualTo("FIRST"));
            Assert.That(second, Is.EqualTo("SECOND"), "expires_in decides, not a constant 7200 s");
        });
    }

    [Test]
    public async Task GetAsync_TransientHttpFailures_AreRetried()
    {
        wechat.On(StableToken, FakeWechatServer.Sequence(
            FakeWechatServer.Status(503), FakeWechatServer.Status(503),
            FakeWechatServer.Json("""{"access_token":"AFTER-RETRIES","expires_in":7200}""")));

        var token = await Provider.GetAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(token, Is.EqualTo("AFTER-RETRIES"));
            Assert.That(wechat.CallsTo(StableToken), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task GetAsync_WechatBusyOnce_RetriesOnceInsideTheClient()
    {
        wechat.On(StableToken, FakeWechatServer.Sequence(
            FakeWechatServer.Json("""{"errcode":-1,"errmsg":"system busy"}"""),
            FakeWechatServer.Json("""{"access_token":"AFTER-BUSY","expires_in":7200}""")));

        var token = await Provider.GetAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(token, Is.EqualTo("AFTER-BUSY"));
            Assert.That(wechat.CallsTo(StableToken), Is.EqualTo(2));
        });
    }

    [Test]
    public void GetAsync_WrongSecret_IsAConfigurationError()
    {
        wechat.OnJson(StableToken, """{"errcode":40001,"errmsg":"invalid credential"}""");

        var error = Assert.ThrowsAsync<WechatException>(() => Provider.GetAsync(CancellationToken.None));

        Assert.That(error!.Failure, Is.EqualTo(WechatFailure.Misconfigured), "on the token endpoint 40001 means a wrong AppSecret");
    }

    [Test]
    public async Task CallAsync_TokenRejected_RefreshesOnceAndRetriesTheCall()
    {
        wechat.On(StableToken, FakeWechatServer.Sequence(
            FakeWechatServer.Json("""{"access_token":"STALE","expires_in":7200}"""),
            FakeWechatServer.Json("""{"access_token":"FRESH","expires_in":7200}""")));
        var used = new List<string>();

        var result = await Provider.CallAsync((token, _) =>
        {
            used.Add(token);
            return token == "STALE"
                ? throw new WechatException("test", WechatFailure.AccessTokenRejected, 42001, "access_token expired")
                : Task.FromResult("done");
        }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo("done"));
            Assert.That(used, Is.EqualTo(new[] { "STALE", "FRESH" }));
            Assert.That(wechat.CallsTo(StableToken), Is.EqualTo(2));
        });
    }
}
