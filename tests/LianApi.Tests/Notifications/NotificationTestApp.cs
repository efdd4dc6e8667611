using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Notifications;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Notifications;

/// <summary>Templates as a district would configure them, and an app in Live mode against the loopback WeChat fake.</summary>
internal static class NotificationTestApp
{
    public const string Accepted = "tmpl-accepted-0001";
    public const string Resolved = "tmpl-resolved-0002";
    public const string Inbox = "tmpl-inbox-0003";

    public static Dictionary<string, string?> Templates() => new()
    {
        ["Notifications:DispatchInterval"] = "00:00:00",
        ["Notifications:Templates:complaint_accepted:TemplateId"] = Accepted,
        ["Notifications:Templates:complaint_accepted:Data:character_string1"] = "trackingNo",
        ["Notifications:Templates:complaint_accepted:Data:thing2"] = "summary",
        ["Notifications:Templates:complaint_accepted:Data:phrase3"] = "status",
        ["Notifications:Templates:complaint_accepted:Data:thing4"] = "unit",
        ["Notifications:Templates:complaint_accepted:Data:time5"] = "time",
        ["Notifications:Templates:complaint_resolved:TemplateId"] = Resolved,
        ["Notifications:Templates:complaint_resolved:Data:character_string1"] = "trackingNo",
        ["Notifications:Templates:complaint_resolved:Data:thing2"] = "reply",
        ["Notifications:Templates:complaint_resolved:Data:thing3"] = "hint",
        ["Notifications:Templates:staff_case_received:TemplateId"] = Inbox,
        ["Notifications:Templates:staff_case_received:Page"] = "pages/staff/case?trackingNo={trackingNo}",
        ["Notifications:Templates:staff_case_received:Data:character_string1"] = "trackingNo",
        ["Notifications:Templates:staff_case_received:Data:thing2"] = "summary",
        ["Notifications:Templates:staff_case_received:Data:thing3"] = "category",
    };

    /// <summary>Logins answer openid "o-" + the code; the access token is TOKEN-1; sends succeed unless a test scripts otherwise.</summary>
    public static void AnswerLikeWechat(FakeWechatServer wechat)
    {
        wechat.On("sns/jscode2session", context =>
            FakeWechatServer.Json($$"""{"openid":"o-{{context.Request.Query["js_code"]}}","session_key":"k"}""")(context));
        wechat.OnJson("cgi-bin/stable_token", """{"access_token":"TOKEN-1","expires_in":7200}""");
        wechat.OnSubscribeSend(0);
    }

    public static LianApiFactory Start(FakeWechatServer wechat, FakeTimeProvider clock, string? databasePath = null,
        IDictionary<string, string?>? more = null, Action<IServiceCollection>? configureTestServices = null)
    {
        var settings = wechat.LiveSettings();
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        foreach (var (key, value) in Templates())
        {
            settings[key] = value;
        }
        if (databasePath is not null)
        {
            settings["ConnectionStrings:Lian"] = $"Data Source={databasePath}";
        }
        return new LianApiFactory(settings, configureServices: s => s.AddSingleton<TimeProvider>(clock), configureTestServices: configureTestServices);
    }

    public static async Task<JsonElement> ConsentAsync(this HttpClient client, params (string TemplateId, string Answer)[] answers)
    {
        var body = new Dictionary<string, string> { ["errMsg"] = "requestSubscribeMessage:ok" };
        foreach (var (templateId, answer) in answers)
        {
            body[templateId] = answer;
        }
        var response = await client.PostAsJsonAsync("/api/notifications/consents", body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<NotificationDispatcher.Result> DispatchAsync(this LianApiFactory app) =>
        app.Service<NotificationDispatcher>().RunOnceAsync(CancellationToken.None);

    public static async Task<IReadOnlyList<NotificationItem>> OutboxAsync(this LianApiFactory app) =>
        await app.Service<NotificationStore>().ListAsync(null, 50, CancellationToken.None);

    /// <summary>Read from the store: a token minted after the fake clock moved would not be valid yet on the real one.</summary>
    public static async Task<int> CreditsOfAsync(this LianApiFactory app, string residentCode, string templateId = Accepted)
    {
        var consents = app.Service<ConsentStore>();
        var userId = await consents.FindUserAsync(FakeWechatServer.AppId, "o-" + residentCode, CancellationToken.None);
        return (await consents.CreditsAsync(userId!.Value, CancellationToken.None)).SingleOrDefault(c => c.TemplateId == templateId)?.Credits ?? 0;
    }
}

/// <summary>A fresh app in Live mode on a fake clock, with the WeChat fake answering, per test.</summary>
public abstract class NotificationAppTest
{
    protected FakeWechatServer Wechat { get; private set; } = null!;
    protected FakeTimeProvider Clock { get; private set; } = null!;
    protected LianApiFactory App { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public async Task StartApp()
    {
        Wechat = await FakeWechatServer.StartAsync();
        NotificationTestApp.AnswerLikeWechat(Wechat);
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        App = NotificationTestApp.Start(Wechat, Clock);
    }

    [TearDown]
    public async Task StopApp()
    {
        await App.DisposeAsync();
        await Wechat.DisposeAsync();
    }
}
