using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;
using LianApi.Wechat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Auth;

/// <summary>WeChat Live mode against a real HTTP fake on loopback: every errcode the login can meet.</summary>
public sealed class WechatLoginTests
{
    private const string Code2Session = "sns/jscode2session";

    private FakeWechatServer wechat = null!;
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        wechat = await FakeWechatServer.StartAsync();
        // The app (and its WeChat resilience pipeline) runs on a clock that only the test moves: no timeout fires
        // because the machine is slow, and the one test about timeouts fires it on purpose.
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        app = new LianApiFactory(wechat.LiveSettings(), configureServices: s => s.AddSingleton<TimeProvider>(clock));
        client = app.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await wechat.DisposeAsync();
    }

    private Task<HttpResponseMessage> LoginAsync(string code = "wx-login-code") =>
        client.PostAsJsonAsync("/api/auth/wechat-login", new { code });

    [Test]
    public async Task Login_WithValidCode_ReturnsOurTokenAndNothingOfWechats()
    {
        wechat.OnJson(Code2Session, """{"openid":"o-real-openid-123","session_key":"c2Vzc2lvbi1rZXktc2VjcmV0","unionid":"u-1"}""");

        var response = await LoginAsync();
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Does.Contain("accessToken"));
            Assert.That(body, Does.Not.Contain("o-real-openid-123"));
            Assert.That(body, Does.Not.Contain("c2Vzc2lvbi1rZXktc2VjcmV0"));
            Assert.That(body, Does.Not.Contain("u-1\""));
            var (path, query, _) = wechat.Requests.Single();
            Assert.That(path, Is.EqualTo(Code2Session));
            Assert.That(query, Does.Contain("appid=" + FakeWechatServer.AppId).And.Contain("js_code=wx-login-code").And.Contain("grant_type=authorization_code"));
        });
        var user = JsonDocument.Parse(body).RootElement.GetProperty("user");
        Assert.That(user.GetProperty("roles")[0].GetString(), Is.EqualTo("resident"));
    }

    [Test]
    public async Task Login_SameOpenIdTwice_IsTheSameUser()
    {
        wechat.OnJson(Code2Session, """{"openid":"o-same","session_key":"k"}""");

        var first = await (await LoginAsync("code-1")).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await LoginAsync("code-2")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(second.GetProperty("user").GetProperty("id").GetInt64(), Is.EqualTo(first.GetProperty("user").GetProperty("id").GetInt64()));
    }

    [TestCase(40029, HttpStatusCode.Unauthorized, TestName = "Login_WechatSays40029InvalidCode_Returns401")]
    [TestCase(40163, HttpStatusCode.Unauthorized, TestName = "Login_WechatSays40163CodeUsed_Returns401")]
    [TestCase(45011, HttpStatusCode.TooManyRequests, TestName = "Login_WechatSays45011RateLimit_Returns429")]
    [TestCase(40226, HttpStatusCode.Forbidden, TestName = "Login_WechatSays40226HighRiskUser_Returns403")]
    [TestCase(-1, HttpStatusCode.ServiceUnavailable, TestName = "Login_WechatSaysMinus1Busy_Returns503")]
    [TestCase(40125, HttpStatusCode.InternalServerError, TestName = "Login_WechatSays40125BadSecret_Returns500AndLogsCritical")]
    [TestCase(40013, HttpStatusCode.InternalServerError, TestName = "Login_WechatSays40013BadAppId_Returns500AndLogsCritical")]
    [TestCase(99999, HttpStatusCode.BadGateway, TestName = "Login_WechatSaysUnknownErrcode_Returns502")]
    public async Task Login_WechatErrcode_MapsToProblemAndCallsWechatOnce(int errcode, HttpStatusCode expected)
    {
        wechat.OnJson(Code2Session, $$"""{"errcode":{{errcode}},"errmsg":"test rid: 1234"}""");

        var response = await LoginAsync();

        var problem = await ProblemAssert.IsProblem(response, expected);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
            Assert.That(wechat.CallsTo(Code2Session), Is.EqualTo(1), "a login code works once, so jscode2session is never retried");
        });
        if (expected is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        {
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        }
        if (expected == HttpStatusCode.InternalServerError)
        {
            Assert.That(app.Logs.Lines, Has.Some.StartsWith("Critical").And.Contains(errcode.ToString()));
        }
    }

    [TestCase(StatusCodes.Status500InternalServerError)]
    [TestCase(StatusCodes.Status503ServiceUnavailable)]
    [TestCase(StatusCodes.Status429TooManyRequests)]
    public async Task Login_WechatHttpFailure_Returns503WithRetryAfterAndNoRetry(int status)
    {
        wechat.On(Code2Session, FakeWechatServer.Status(status));

        var response = await LoginAsync();

        await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            Assert.That(wechat.CallsTo(Code2Session), Is.EqualTo(1), "jscode2session must not be retried even on a transient HTTP status");
        });
    }

    [Test]
    public async Task Login_WechatHangs_Returns503AtTheAttemptTimeout()
    {
        var reached = wechat.Hang(Code2Session);
        var attemptTimeout = app.Service<IOptions<WechatOptions>>().Value.AttemptTimeout;

        var login = LoginAsync();
        // Bounds on waits for events, not measurements: they only stop a broken build from hanging the suite.
        await reached.WaitAsync(TimeSpan.FromSeconds(60));
        clock.Advance(attemptTimeout - TimeSpan.FromMilliseconds(1));
        var stillWaiting = !login.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var response = await login.WaitAsync(TimeSpan.FromSeconds(60));

        await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(() =>
        {
            Assert.That(stillWaiting, Is.True, "nothing answers before the attempt timeout");
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            Assert.That(wechat.CallsTo(Code2Session), Is.EqualTo(1), "a login code is never retried");
        });
    }

    [Test]
    public async Task Login_WechatAnswersGarbage_Returns503()
    {
        wechat.OnJson(Code2Session, "<html>gateway error</html>");

        await ProblemAssert.IsProblem(await LoginAsync(), HttpStatusCode.ServiceUnavailable);
    }

    [Test]
    public async Task Login_NeverWritesSecretsOrOpenIdToTheLogs()
    {
        wechat.OnJson(Code2Session, """{"openid":"o-log-check-openid","session_key":"U0VTU0lPTi1LRVktTE9H"}""");
        await LoginAsync("code-for-log-check");
        wechat.OnJson(Code2Session, """{"errcode":40125,"errmsg":"invalid appsecret"}""");
        await LoginAsync("code-for-log-check-2");

        var logs = string.Join("\n", app.Logs.Lines);
        Assert.Multiple(() =>
        {
            Assert.That(logs, Does.Not.Contain(FakeWechatServer.AppSecret));
            Assert.That(logs, Does.Not.Contain("U0VTU0lPTi1LRVktTE9H"));
            Assert.That(logs, Does.Not.Contain("o-log-check-openid"));
            Assert.That(logs, Does.Not.Contain("jscode2session?"), "request URIs carry the AppSecret");
        });
    }
}
