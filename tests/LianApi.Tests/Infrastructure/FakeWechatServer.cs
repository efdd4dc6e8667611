using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on loopback that answers like WeChat's API host. Tests script the answer of each path
/// and read back how often, and with what, it was called.
/// </summary>
public sealed class FakeWechatServer : IAsyncDisposable
{
    public const string AppId = "wx-test-appid";
    public const string AppSecret = "test-app-secret-never-logged";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> handlers = new();

    private FakeWechatServer(WebApplication app)
    {
        this.app = app;
    }

    public string BaseUrl => app.Urls.First();

    public ConcurrentDictionary<string, int> Calls { get; } = new();

    public ConcurrentQueue<(string Path, string Query, string Body)> Requests { get; } = new();

    public static async Task<FakeWechatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeWechatServer(builder.Build());
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync();
        return server;
    }

    /// <summary>Settings that point the app at this server in Live mode.</summary>
    public Dictionary<string, string?> LiveSettings() => new()
    {
        ["Wechat:Mode"] = "Live",
        ["Wechat:AppId"] = AppId,
        ["Wechat:AppSecret"] = AppSecret,
        ["Wechat:BaseUrl"] = BaseUrl,
        // Where WeChat downloads photos for its image check from (required in Live mode); the photos' links start with it.
        ["Photos:PublicBaseUrl"] = "https://lian.test.invalid",
        ["Wechat:RetryDelay"] = "00:00:00.010",
        // Far beyond any scripted answer even on a loaded CI machine: a test that needs a timeout to fire runs
        // the app on a FakeTimeProvider and advances it, never waits for it.
        ["Wechat:AttemptTimeout"] = "00:00:20",
        ["Wechat:TotalTimeout"] = "00:01:00",
    };

    public const string SubscribeSendPath = "cgi-bin/message/subscribe/send";

    /// <summary>subscribe/send answers these errcodes in turn (0 = delivered); the last one repeats.</summary>
    public void OnSubscribeSend(params int[] errcodes) =>
        On(SubscribeSendPath, Sequence(errcodes.Select(code => Json($$"""{"errcode":{{code}},"errmsg":"{{(code == 0 ? "ok" : "test error")}} rid: 1"}""")).ToArray()));

    /// <summary>The subscribe messages WeChat received (every attempt, answered with any errcode), as JSON, in order.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> SubscribeMessages() =>
        Requests.Where(r => r.Path == SubscribeSendPath).Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.Clone()).ToList();

    public void On(string path, Func<HttpContext, Task> handler) => handlers[path] = handler;

    public void OnJson(string path, string json) => On(path, Json(json));

    /// <summary>WeChat takes the request and never answers; the task completes once the request has arrived.</summary>
    public Task Hang(string path)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        On(path, async context =>
        {
            reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        return reached.Task;
    }

    /// <summary>WeChat answers JSON with varying content types; text/plain keeps our client honest.</summary>
    public static Func<HttpContext, Task> Json(string json) => context =>
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(json);
    };

    public static Func<HttpContext, Task> Status(int status) => context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    /// <summary>Answers each call with the next handler; the last one repeats.</summary>
    public static Func<HttpContext, Task> Sequence(params Func<HttpContext, Task>[] answers)
    {
        var index = -1;
        return context => answers[Math.Min(Interlocked.Increment(ref index), answers.Length - 1)](context);
    }

    public int CallsTo(string path) => Calls.GetValueOrDefault(path);

    public const string Code2SessionPath = "sns/jscode2session";
    public const string StableTokenPath = "cgi-bin/stable_token";
    public const string MsgSecCheckPath = "wxa/msg_sec_check";

    /// <summary>Logins that work (the openid is "o-" + the login code) and an access token, for tests about other APIs.</summary>
    public void AcceptLoginsAndTokens(string accessToken = "TOKEN-1")
    {
        On(Code2SessionPath, context => Json($$"""{"openid":"o-{{context.Request.Query["js_code"]}}","session_key":"k"}""")(context));
        OnJson(StableTokenPath, $$"""{"access_token":"{{accessToken}}","expires_in":7200}""");
    }

    /// <summary>msg_sec_check's answer with this verdict (label as WeChat documents it, a number).</summary>
    public static string MsgSecCheck(string suggest, int label = 100, string traceId = "trace-0001") =>
        $$"""{"errcode":0,"errmsg":"ok","trace_id":"{{traceId}}","result":{"suggest":"{{suggest}}","label":{{label}}},"detail":[{"strategy":"content_model","errcode":0,"suggest":"{{suggest}}","label":{{label}},"prob":90}]}""";

    /// <summary>A wxa_media_check push (JSON, as WeChat sends it in plaintext mode); <paramref name="label"/> is raw JSON (WeChat was seen sending a string).</summary>
    public static string MediaCheckPush(string traceId, string suggest, string label = "\"100\"") => $$"""
        {"ToUserName":"gh_lian","FromUserName":"o-sys","CreateTime":1733112000,"MsgType":"event","Event":"wxa_media_check",
         "appid":"{{AppId}}","trace_id":"{{traceId}}","version":2,
         "result":{"suggest":"{{suggest}}","label":{{label}}},"detail":[{"strategy":"content_model","errcode":0,"suggest":"{{suggest}}","label":{{label}},"prob":90}]}
        """;

    /// <summary>The bodies WeChat received on one path, in order.</summary>
    public IReadOnlyList<string> BodiesOf(string path) => Requests.Where(r => r.Path == path).Select(r => r.Body).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimStart('/');
        Calls.AddOrUpdate(path, 1, (_, n) => n + 1);
        using var reader = new StreamReader(context.Request.Body);
        Requests.Enqueue((path, context.Request.QueryString.Value ?? "", await reader.ReadToEndAsync()));
        if (handlers.TryGetValue(path, out var handler))
        {
            await handler(context);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
