using System.Globalization;
using System.Text;
using LianApi.Tests.Infrastructure;
using LianApi.Wechat;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Notifications;

/// <summary>subscribe_msg_* events through the real message-push endpoint and its job queue (driven by the test).</summary>
public sealed class ConsentPushTests
{
    private const string Token = "LianPushToken2026";

    private FakeWechatServer wechat = null!;
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;

    [SetUp]
    public async Task Start()
    {
        wechat = await FakeWechatServer.StartAsync();
        NotificationTestApp.AnswerLikeWechat(wechat);
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        app = NotificationTestApp.Start(wechat, clock, more: new Dictionary<string, string?> { ["Wechat:PushToken"] = Token },
            configureTestServices: s =>
            {
                foreach (var loop in s.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(WechatJobLoop)).ToList())
                {
                    s.Remove(loop);
                }
            });
    }

    [TearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await wechat.DisposeAsync();
    }

    private async Task PushAsync(string json, string nonce)
    {
        using var client = app.CreateClient();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = PushCrypto.Signature(Token, timestamp, nonce);
        var response = await client.PostAsync($"/api/wechat/push?signature={signature}&timestamp={timestamp}&nonce={nonce}",
            new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        await app.Service<WechatJobRunner>().RunDueAsync(CancellationToken.None);
    }

    private static string Popup(string openId, long createTime, string status = "accept") => $$"""
        {"ToUserName":"gh_lian","FromUserName":"{{openId}}","CreateTime":{{createTime}},"MsgType":"event","Event":"subscribe_msg_popup_event",
         "List":[{"TemplateId":"{{NotificationTestApp.Accepted}}","SubscribeStatusString":"{{status}}","PopupScene":"0"}]}
        """;

    [Test]
    public async Task PopupPush_GrantsACredit_OnceForWechatsRetries_AndPairedWithTheClientsPost()
    {
        using var resident = await app.LoginAsync("push-resident");
        var created = clock.GetUtcNow().ToUnixTimeSeconds();

        await PushAsync(Popup("o-push-resident", created), "n1");
        await PushAsync(Popup("o-push-resident", created), "n2");
        var afterPush = await app.CreditsOfAsync("push-resident");
        await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
        var afterPost = await app.CreditsOfAsync("push-resident");

        Assert.Multiple(() =>
        {
            Assert.That(afterPush, Is.EqualTo(1), "WeChat's retry of one push counts once");
            Assert.That(afterPost, Is.EqualTo(1), "the client's POST of the same tap confirms it");
        });
    }

    [Test]
    public async Task PushedConsent_ThenAccept_SendsTheMessage_AndARejectPushZeroesCredits()
    {
        using var resident = await app.LoginAsync("push-send");
        var trackingNo = await resident.FileAsync();
        await PushAsync(Popup("o-push-send", clock.GetUtcNow().ToUnixTimeSeconds()), "n3");
        using var staff = await app.StaffAsync("push-send-staff", "community", "gongyuanmen");
        (await staff.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();

        var sent = await app.DispatchAsync();
        await PushAsync(Popup("o-push-send", clock.GetUtcNow().ToUnixTimeSeconds() + 1), "n4");
        var beforeReject = await app.CreditsOfAsync("push-send");
        await PushAsync(Popup("o-push-send", clock.GetUtcNow().ToUnixTimeSeconds() + 2, "reject"), "n5");

        Assert.Multiple(async () =>
        {
            Assert.That(sent.Sent, Is.EqualTo(1));
            Assert.That(wechat.SubscribeMessages().Single().GetProperty("touser").GetString(), Is.EqualTo("o-push-send"));
            Assert.That(beforeReject, Is.EqualTo(1));
            Assert.That(await app.CreditsOfAsync("push-send"), Is.Zero);
        });
    }
}
