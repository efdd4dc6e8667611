using LianApi.Staff;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Notifications;
using LianApi.Notifications.Wecom;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Wecom;

/// <summary>The app in Live mode against the loopback WeChat and WeCom fakes, on a fake clock, with subscribe templates configured.</summary>
internal static class WecomTestApp
{
    public static LianApiFactory Start(FakeWechatServer wechat, FakeWecomServer wecom, FakeTimeProvider clock, string? databasePath = null,
        IDictionary<string, string?>? more = null)
    {
        var settings = wechat.LiveSettings();
        foreach (var (key, value) in NotificationTestApp.Templates().Concat(wecom.Settings()).Concat(more ?? new Dictionary<string, string?>()))
        {
            settings[key] = value;
        }
        if (databasePath is not null)
        {
            settings["ConnectionStrings:Lian"] = $"Data Source={databasePath}";
        }
        return new LianApiFactory(settings, configureServices: s => FakeClock.Use(s, clock));
    }

    /// <summary>A bound staff member (WeChat login "o-" + <paramref name="wechatCode"/>) mapped to <paramref name="wecomUserId"/> when given.</summary>
    public static async Task<HttpClient> MappedStaffAsync(this LianApiFactory app, string wechatCode, string role, string? unitCode, string? wecomUserId)
    {
        var name = "员" + wechatCode;
        var client = await app.StaffAsync(wechatCode, role, unitCode, name: name);
        if (wecomUserId is not null)
        {
            var id = (await app.Service<StaffStore>().ListForOpsAsync(CancellationToken.None)).Single(s => s.Name == name).Id;
            Assert.That(await app.Service<StaffStore>().SetWecomUserIdAsync(id, wecomUserId, CancellationToken.None), Is.EqualTo(WecomMapping.Set));
        }
        return client;
    }

    public static Task<WecomDispatcher.Result> SendWecomAsync(this LianApiFactory app) =>
        app.Service<WecomDispatcher>().RunOnceAsync(CancellationToken.None);

    /// <summary>The cards WeCom accepted (errcode 0 answers are not told apart here: tests script the answers they need).</summary>
    public static IReadOnlyList<(string ToUser, string Title, string Description, string Url, string Token)> Cards(this FakeWecomServer wecom) =>
        wecom.Sends().Where(s => s.Body.GetProperty("msgtype").GetString() == "textcard").Select(s => (
            s.Body.GetProperty("touser").GetString()!,
            s.Body.GetProperty("textcard").GetProperty("title").GetString()!,
            s.Body.GetProperty("textcard").GetProperty("description").GetString()!,
            s.Body.GetProperty("textcard").GetProperty("url").GetString()!,
            s.Token)).ToList();
}
