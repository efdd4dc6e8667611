using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on loopback that answers like WeCom's API host (qyapi.weixin.qq.com, or 政务微信's). Tests script
/// gettoken and message/send and read back every message the app sent, with the token it used.
/// </summary>
public sealed class FakeWecomServer : IAsyncDisposable
{
    public const string CorpId = "ww-test-corp";
    public const string Secret = "wecom-test-secret-never-logged";
    public const int AgentId = 1000002;
    public const string ConsoleBaseUrl = "https://lian.test.invalid/console";
    public const string GetTokenPath = "cgi-bin/gettoken";
    public const string SendPath = "cgi-bin/message/send";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> handlers = new();

    private FakeWecomServer(WebApplication app)
    {
        this.app = app;
    }

    public string BaseUrl => app.Urls.First();

    public ConcurrentQueue<(string Path, string Query, string Body)> Requests { get; } = new();

    public static async Task<FakeWecomServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeWecomServer(builder.Build());
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync();
        // Tokens WECOM-TOKEN-1, -2, … in turn (a new one per gettoken), and every message delivered.
        server.OnGetToken();
        server.OnSend(0);
        return server;
    }

    /// <summary>Settings that turn the app's WeCom channel on against this server.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Wecom:CorpId"] = CorpId,
        ["Wecom:AgentId"] = AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Wecom:Secret"] = Secret,
        ["Wecom:ApiHost"] = BaseUrl,
        ["Wecom:ConsoleBaseUrl"] = ConsoleBaseUrl,
        ["Wecom:DispatchInterval"] = "00:00:00",
        // Off unless a test is about them: the fake clock starts at any hour.
        ["Wecom:QuietHoursStart"] = "00:00",
        ["Wecom:QuietHoursEnd"] = "00:00",
        ["Wecom:AttemptTimeout"] = "00:00:20",
        ["Wecom:TotalTimeout"] = "00:01:00",
    };

    private int tokens;

    /// <summary>gettoken answers a new token each call (WECOM-TOKEN-1, -2, …), valid 7200 s.</summary>
    public void OnGetToken() => handlers[GetTokenPath] = context =>
        Json($$"""{"errcode":0,"errmsg":"ok","access_token":"WECOM-TOKEN-{{Interlocked.Increment(ref tokens)}}","expires_in":7200}""")(context);

    /// <summary>message/send answers these errcodes in turn (0 = delivered); the last one repeats.</summary>
    public void OnSend(params int[] errcodes)
    {
        var index = -1;
        handlers[SendPath] = context =>
        {
            var code = errcodes[Math.Min(Interlocked.Increment(ref index), errcodes.Length - 1)];
            return Json(code == 0
                ? """{"errcode":0,"errmsg":"ok","invaliduser":"","msgid":"msg-1"}"""
                : $$"""{"errcode":{{code}},"errmsg":"test error {{code}}, hint: [1733112000_1_abc]"}""")(context);
        };
    }

    /// <summary>message/send delivers but lists these users as invalid (errcode 0 with invaliduser).</summary>
    public void OnSendWithInvalidUsers(string invalidUsers) => handlers[SendPath] =
        Json($$"""{"errcode":0,"errmsg":"ok","invaliduser":"{{invalidUsers}}","msgid":"msg-2"}""");

    /// <summary>Runs as each message/send arrives, before it is answered: a test's way to let time pass during a call.</summary>
    public Action? WhileSending { get; set; }

    public int CallsTo(string path) => Requests.Count(r => r.Path == path);

    /// <summary>Every message/send the app made (answered with any errcode), in order, with the access_token of its query.</summary>
    public IReadOnlyList<(JsonElement Body, string Token)> Sends() => Requests.Where(r => r.Path == SendPath)
        .Select(r => (JsonDocument.Parse(r.Body).RootElement.Clone(), System.Web.HttpUtility.ParseQueryString(r.Query)["access_token"] ?? "")).ToList();

    private static Func<HttpContext, Task> Json(string json) => context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    };

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimStart('/');
        using var reader = new StreamReader(context.Request.Body);
        Requests.Enqueue((path, context.Request.QueryString.Value ?? "", await reader.ReadToEndAsync()));
        if (path == SendPath)
        {
            WhileSending?.Invoke();
        }
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
