using System.Text.Json;
using LianApi.Notifications;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Notifications;

/// <summary>
/// The outbox end to end: consent through the API, a real case transition, the dispatcher run explicitly (the background
/// one is off) on a fake clock, and the loopback WeChat fake answering subscribe/send.
/// </summary>
public sealed class NotificationDispatchTests : NotificationAppTest
{
    /// <summary>A resident who consented <paramref name="consents"/> times, and their report accepted by its community.</summary>
    private async Task<string> AcceptedReportAsync(string residentCode, int consents = 1)
    {
        using var resident = await App.LoginAsync(residentCode);
        var trackingNo = await resident.FileAsync();
        for (var i = 0; i < consents; i++)
        {
            await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
        }
        using var staff = await App.StaffAsync("staff-" + residentCode, "community", "gongyuanmen");
        (await staff.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        return trackingNo;
    }

    private IReadOnlyList<JsonElement> Sends(string? templateId = NotificationTestApp.Accepted) =>
        Wechat.SubscribeMessages().Where(m => templateId is null || m.GetProperty("template_id").GetString() == templateId).ToList();

    [Test]
    public async Task Accept_WithConsent_SendsExactlyOneMessageWithTheTemplateTouserPageAndFittedValues()
    {
        var trackingNo = await AcceptedReportAsync("notify-accept");

        var first = await App.DispatchAsync();
        var second = await App.DispatchAsync();

        var sends = Sends();
        var outbox = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Assert.Multiple(() =>
        {
            Assert.That(first.Sent, Is.EqualTo(1));
            Assert.That(second.Sent, Is.Zero, "a sent message is never sent again");
            Assert.That(sends, Has.Count.EqualTo(1));
            var m = sends[0];
            Assert.That(m.GetProperty("touser").GetString(), Is.EqualTo("o-notify-accept"));
            Assert.That(m.GetProperty("page").GetString(), Is.EqualTo($"pages/complaint/detail?trackingNo={trackingNo}"));
            Assert.That(m.GetProperty("miniprogram_state").GetString(), Is.EqualTo("formal"));
            var data = m.GetProperty("data");
            Assert.That(data.GetProperty("character_string1").GetProperty("value").GetString(), Is.EqualTo(trackingNo));
            Assert.That(data.GetProperty("thing2").GetProperty("value").GetString()!.Length, Is.LessThanOrEqualTo(20));
            Assert.That(data.GetProperty("thing2").GetProperty("value").GetString(), Does.StartWith("小区电梯坏了"));
            Assert.That(data.GetProperty("phrase3").GetProperty("value").GetString(), Is.EqualTo("已受理"));
            Assert.That(data.GetProperty("thing4").GetProperty("value").GetString(), Is.EqualTo("贡院门社区"));
            Assert.That(data.GetProperty("time5").GetProperty("value").GetString(), Does.Match(@"^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$"));
            Assert.That(outbox.Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(outbox.ErrCode, Is.Zero);
        });
        Assert.That(await App.CreditsOfAsync("notify-accept"), Is.Zero, "the send spent the one credit");
    }

    [Test]
    public async Task Accept_WithoutConsent_SendsNothingAndRecordsWhy()
    {
        await AcceptedReportAsync("notify-no-credit", consents: 0);

        await App.DispatchAsync();

        var outbox = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Assert.Multiple(() =>
        {
            Assert.That(Sends(), Is.Empty);
            Assert.That(outbox.Status, Is.EqualTo(NotificationStatus.Skipped));
            Assert.That(outbox.LastError, Is.EqualTo("no_consent"));
        });
    }

    [Test]
    public async Task Send_Answered43101_IsNotRetriedAndTheCreditsBecomeZero()
    {
        Wechat.OnSubscribeSend(43101);
        await AcceptedReportAsync("notify-43101", consents: 3);

        await App.DispatchAsync();
        Clock.Advance(TimeSpan.FromHours(25));
        await App.DispatchAsync();

        var outbox = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Assert.Multiple(async () =>
        {
            Assert.That(Sends(), Has.Count.EqualTo(1), "permanent: never tried again");
            Assert.That(outbox.Status, Is.EqualTo(NotificationStatus.Failed));
            Assert.That(outbox.ErrCode, Is.EqualTo(43101));
            Assert.That(await App.CreditsOfAsync("notify-43101"), Is.Zero, "43101: WeChat says no permission is left");
        });
    }

    [TestCase(47003)]
    [TestCase(40037)]
    [TestCase(41030)]
    public async Task Send_AnsweredAnotherPermanentError_FailsOnceAndGivesTheCreditBack(int errcode)
    {
        Wechat.OnSubscribeSend(errcode);
        await AcceptedReportAsync($"notify-{errcode}");

        await App.DispatchAsync();
        Clock.Advance(TimeSpan.FromHours(2));
        await App.DispatchAsync();

        var outbox = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Assert.Multiple(async () =>
        {
            Assert.That(Sends(), Has.Count.EqualTo(1));
            Assert.That(outbox.Status, Is.EqualTo(NotificationStatus.Failed));
            Assert.That(outbox.ErrCode, Is.EqualTo(errcode));
            Assert.That(await App.CreditsOfAsync($"notify-{errcode}"), Is.EqualTo(1), "WeChat did not use the permission");
        });
    }

    [Test]
    public async Task Send_BusyTwiceThenOk_DeliversOneMessageWithBackoff()
    {
        Wechat.OnSubscribeSend(-1, -1, 0);
        await AcceptedReportAsync("notify-busy");

        var first = await App.DispatchAsync();
        var tooEarly = await App.DispatchAsync();
        var afterFirst = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await App.DispatchAsync();
        var afterSecond = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Clock.Advance(TimeSpan.FromMinutes(2));
        var third = await App.DispatchAsync();

        var final = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Assert.Multiple(() =>
        {
            Assert.That((first.Retrying, tooEarly.Retrying + tooEarly.Sent, second.Retrying, third.Sent), Is.EqualTo((1, 0, 1, 1)));
            Assert.That(afterFirst.ErrCode, Is.EqualTo(-1));
            Assert.That(afterFirst.DueAt - afterFirst.CreatedAt, Is.InRange(TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36)), "30 s ± 20 %");
            Assert.That(afterSecond.DueAt - afterFirst.DueAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(48)), "the second delay doubles");
            Assert.That(Sends(), Has.Count.EqualTo(3));
            Assert.That(final.Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(final.Attempts, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Send_WhileWechatIsDown_IsDeliveredAfterItRecovers()
    {
        Wechat.On(FakeWechatServer.SubscribeSendPath, FakeWechatServer.Status(503));
        await AcceptedReportAsync("notify-down");

        for (var i = 0; i < 5; i++)
        {
            await App.DispatchAsync();
            Clock.Advance(TimeSpan.FromMinutes(20));
        }
        var whileDown = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Wechat.OnSubscribeSend(0);
        Clock.Advance(TimeSpan.FromHours(1.5));
        await App.DispatchAsync();

        var final = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Assert.Multiple(() =>
        {
            Assert.That(whileDown.Status, Is.EqualTo(NotificationStatus.Pending));
            Assert.That(whileDown.Attempts, Is.GreaterThanOrEqualTo(3));
            Assert.That(final.Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(Sends().Count, Is.EqualTo(final.Attempts), "one call per attempt: subscribe/send is not retried inside the client");
        });
    }

    [Test]
    public async Task Send_StillFailingAfter24Hours_IsGivenUpAndTheCreditGivenBack()
    {
        Wechat.OnSubscribeSend(-1);
        await AcceptedReportAsync("notify-give-up");

        for (var i = 0; i < 40; i++)
        {
            await App.DispatchAsync();
            Clock.Advance(TimeSpan.FromHours(1.25));
        }

        var final = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted);
        Assert.Multiple(async () =>
        {
            Assert.That(final.Status, Is.EqualTo(NotificationStatus.Failed));
            Assert.That(final.LastError, Does.StartWith("gave_up"));
            Assert.That(final.FinishedAt!.Value - final.CreatedAt, Is.LessThanOrEqualTo(TimeSpan.FromHours(24)));
            Assert.That(await App.CreditsOfAsync("notify-give-up"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Send_TokenRejected_RefreshesTheTokenAndRetriesOnce()
    {
        Wechat.OnSubscribeSend(40001, 0);
        await AcceptedReportAsync("notify-token");
        // The token is cached before the send (submitting may have fetched it already for the text check).
        await App.Service<LianApi.Wechat.WechatAccessTokenProvider>().GetAsync(CancellationToken.None);
        var tokensBefore = Wechat.CallsTo("cgi-bin/stable_token");

        var result = await App.DispatchAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Sent, Is.EqualTo(1));
            Assert.That(Sends(), Has.Count.EqualTo(2));
            Assert.That(Wechat.CallsTo("cgi-bin/stable_token"), Is.EqualTo(tokensBefore + 1), "fetched once more after WeChat rejected the cached one");
        });
    }

    [Test]
    public async Task Dispatch_ClaimedByAnInstanceThatDied_IsSentOnceItsLeaseExpires()
    {
        await AcceptedReportAsync("notify-crash");
        var id = (await App.OutboxAsync()).Single(n => n.Event == NotificationEvents.ComplaintAccepted).Id;
        var now = Clock.GetUtcNow().UtcDateTime;
        // Another instance claimed the row, maybe even sent it, and died before recording it.
        var dead = await App.Service<NotificationStore>().ClaimAsync(id, "dead-instance", now, now.AddMinutes(2),
            _ => NotificationTestApp.Accepted, CancellationToken.None);

        var whileLeased = await App.DispatchAsync();
        Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var afterExpiry = await App.DispatchAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(dead, Is.Not.Null);
            Assert.That(whileLeased.Sent, Is.Zero, "never while another instance holds it");
            Assert.That(afterExpiry.Sent, Is.EqualTo(1));
            Assert.That(Sends(), Has.Count.EqualTo(1));
                Assert.That(await App.CreditsOfAsync("notify-crash"), Is.Zero, "the credit the dead instance reserved was used, not spent twice");
        });
    }
}
