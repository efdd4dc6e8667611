using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Complaints;
using LianApi.Notifications;
using LianApi.Shared;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Notifications;
using LianApi.Notifications.Wecom;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Wecom;

/// <summary>
/// Staff alerts on WeCom end to end: real transitions through the API write the outbox, the WeCom dispatcher (run
/// explicitly) sends to the loopback WeCom fake, on a fake clock.
/// </summary>
public sealed class WecomAlertTests
{
    private FakeWechatServer wechat = null!;
    private FakeWecomServer wecom = null!;
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public async Task Start()
    {
        wechat = await FakeWechatServer.StartAsync();
        NotificationTestApp.AnswerLikeWechat(wechat);
        wecom = await FakeWecomServer.StartAsync();
        // Tuesday 2026-12-08 10:00 Beijing time: a working day, outside quiet hours.
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 2, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await wecom.DisposeAsync();
        await wechat.DisposeAsync();
    }

    private async Task<string> FileAsync(string residentCode, string category = "property")
    {
        using var resident = await app.LoginAsync(residentCode);
        return await resident.FileAsync(category);
    }

    [Test]
    public async Task NewReport_ReachesTheMappedStaffOfItsCommunityOnly_AsACaseCardWithDeadlineAndLink()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("gym-1", "community", "gongyuanmen", "zhangsan")).Dispose();
        (await app.MappedStaffAsync("gym-2", "community", "gongyuanmen", "lisi")).Dispose();
        (await app.MappedStaffAsync("street-1", "street", "beiyuanmen", "wangwu")).Dispose();
        (await app.MappedStaffAsync("center-1", "dispatcher", null, "zhaoliu")).Dispose();

        var trackingNo = await FileAsync("resident-card");
        var result = await app.SendWecomAsync();

        var card = wecom.Cards().Single();
        var due = app.Case(trackingNo).ResponseDueAt;
        var send = wecom.Sends().Single().Body;
        Assert.Multiple(() =>
        {
            Assert.That(result.Sent, Is.EqualTo(1));
            Assert.That(card.ToUser, Is.EqualTo("zhangsan|lisi"), "the community's two mapped members, in one call; no other unit");
            Assert.That(send.GetProperty("agentid").GetInt32(), Is.EqualTo(FakeWecomServer.AgentId));
            Assert.That(card.Title, Does.Contain("新案件待签收").And.Contain(trackingNo));
            Assert.That(card.Description, Does.Contain("物业管理").And.Contain("贡院门社区").And.Contain("小区电梯坏了"));
            Assert.That(card.Description, Does.Contain($"办理时限：{KeywordValues.Format(due)}（北京时间）"));
            Assert.That(card.Description, Does.Contain("请及时签收"), "what to do");
            Assert.That(card.Url, Is.EqualTo($"{FakeWecomServer.ConsoleBaseUrl}/cases/{trackingNo}"));
            Assert.That(card.Token, Is.EqualTo("WECOM-TOKEN-1"));
        });
        Assert.That((await app.SendWecomAsync()).Sent, Is.Zero, "a sent message is never sent again");
        Assert.That(wecom.CallsTo(FakeWecomServer.GetTokenPath), Is.EqualTo(1), "the token is cached until it expires");
    }

    [Test]
    public async Task Escalation_ReachesTheStreetWithItsOwnDeadline_NotTheCommunityAgain()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("gym-3", "community", "gongyuanmen", "community-a")).Dispose();
        (await app.MappedStaffAsync("street-3", "street", "beiyuanmen", "street-a")).Dispose();
        var trackingNo = await FileAsync("resident-escalate");
        await app.SendWecomAsync();

        // Nobody accepted it within the response time: the sweep sends it up to the street.
        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await app.Service<DeadlineSweep>().RunOnceAsync(Ct);
        await app.SendWecomAsync();

        // Only the arrivals: on a working morning the background sweep may also write the units' to-do.
        var cards = wecom.Cards().Where(c => c.Title.StartsWith("新案件待签收", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(cards.Select(c => c.ToUser), Is.EqualTo(new[] { "community-a", "street-a" }));
            Assert.That(cards[1].Title, Does.Contain("新案件待签收").And.Contain(trackingNo));
            Assert.That(cards[1].Description, Does.Contain(KeywordValues.Format(app.Case(trackingNo).ResponseDueAt)), "the street's own deadline");
        });
    }

    [Test]
    public async Task StaffWithoutMapping_KeepTheSubscribeMessage_MappedStaffDoNot()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        using var unmapped = await app.MappedStaffAsync("gym-plain", "community", "gongyuanmen", wecomUserId: null);
        await unmapped.ConsentAsync((NotificationTestApp.Inbox, "accept"));
        using var mapped = await app.MappedStaffAsync("gym-mapped", "community", "gongyuanmen", "mapped-1");
        await mapped.ConsentAsync((NotificationTestApp.Inbox, "accept"));

        var trackingNo = await FileAsync("resident-fallback");
        await app.SendWecomAsync();
        await app.DispatchAsync();

        var subscribe = wechat.SubscribeMessages().Where(m => m.GetProperty("template_id").GetString() == NotificationTestApp.Inbox).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(wecom.Cards().Select(c => c.ToUser), Is.EqualTo(new[] { "mapped-1" }));
            Assert.That(subscribe.Select(m => m.GetProperty("touser").GetString()), Is.EqualTo(new[] { "o-gym-plain" }),
                "the unmapped member gets the subscribe message, the mapped one only the WeCom card");
            Assert.That(subscribe[0].GetProperty("data").GetProperty("character_string1").GetProperty("value").GetString(), Is.EqualTo(trackingNo));
        });
    }

    [Test]
    public async Task TokenRejectedWith42001_IsRefreshedOnce_AndTheMessageDelivered()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("gym-token", "community", "gongyuanmen", "token-user")).Dispose();
        wecom.OnSend(42001, 0);

        await FileAsync("resident-token");
        var result = await app.SendWecomAsync();

        var sends = wecom.Sends();
        Assert.Multiple(() =>
        {
            Assert.That(result.Sent, Is.EqualTo(1));
            Assert.That(wecom.CallsTo(FakeWecomServer.GetTokenPath), Is.EqualTo(2), "one refresh");
            Assert.That(sends.Select(s => s.Token), Is.EqualTo(new[] { "WECOM-TOKEN-1", "WECOM-TOKEN-2" }));
        });
        var row = (await app.OutboxAsync()).Single(n => n.Channel == WecomStore.Channel);
        Assert.That(row.Status, Is.EqualTo(NotificationStatus.Sent));
    }

    [Test]
    public async Task FrequencyLimit45009_BacksOff_ThenDeliversLater()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("gym-limit", "community", "gongyuanmen", "limit-user")).Dispose();
        wecom.OnSend(45009, 0);

        await FileAsync("resident-limit");
        var first = await app.SendWecomAsync();
        var row = (await app.OutboxAsync()).Single(n => n.Channel == WecomStore.Channel);
        var atOnce = await app.SendWecomAsync();
        clock.Advance(TimeSpan.FromMinutes(2));
        await app.SendWecomAsync();
        // The deadline sweep runs in the background on the same clock and may add its own rows (the morning to-do) meanwhile:
        // what is judged is this alert's row and the sends of this alert.
        var delivered = (await app.OutboxAsync()).Single(n => n.Id == row.Id);
        var alert = wecom.Sends()[0].Body.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(first.Retrying, Is.EqualTo(1));
            Assert.That(row.Status, Is.EqualTo(NotificationStatus.Pending));
            Assert.That(row.ErrCode, Is.EqualTo(45009));
            Assert.That(row.DueAt, Is.GreaterThan(clock.GetUtcNow().AddMinutes(-2)), "due again later, not at once");
            Assert.That(atOnce.Sent + atOnce.Retrying, Is.Zero, "backing off: nothing is tried before it is due");
            Assert.That(delivered.Status, Is.EqualTo(NotificationStatus.Sent));
            Assert.That(wecom.Sends().Count(s => s.Body.ToString() == alert), Is.EqualTo(2), "refused once, delivered once");
        });
    }

    [Test]
    public async Task UnknownUser81013_FailsForGood_AndShowsInTheOutboxForAdmins()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("gym-gone", "community", "gongyuanmen", "left-the-company")).Dispose();
        using var center = await app.MappedStaffAsync("center-list", "dispatcher", null, wecomUserId: null);
        wecom.OnSend(81013);

        var trackingNo = await FileAsync("resident-81013");
        var result = await app.SendWecomAsync();
        var page = await center.GetFromJsonAsync<JsonElement>("/api/staff/notifications?status=failed");
        clock.Advance(TimeSpan.FromHours(3));
        await app.SendWecomAsync();

        var item = page.GetProperty("items").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.EqualTo(1));
            Assert.That(wecom.CallsTo(FakeWecomServer.SendPath), Is.EqualTo(1), "never retried");
            Assert.That(item.GetProperty("channel").GetString(), Is.EqualTo("wecom"));
            Assert.That(item.GetProperty("trackingNo").GetString(), Is.EqualTo(trackingNo));
            Assert.That(item.GetProperty("errCode").GetInt32(), Is.EqualTo(81013));
            Assert.That(item.GetProperty("lastError").GetString(), Does.StartWith("invalid_user: left-the-company"));
            Assert.That(page.GetProperty("wecom").GetProperty("invalidUsersLastWeek").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task UntrustedIp60020_IsLoggedInThoseWords_AndShownInReadiness()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("gym-ip", "community", "gongyuanmen", "ip-user")).Dispose();
        wecom.OnSend(60020);

        await FileAsync("resident-ip");
        var result = await app.SendWecomAsync();

        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var ready = await http.GetFromJsonAsync<JsonElement>("/health/ready");
        var check = ready.GetProperty("checks").GetProperty("wecom");
        Assert.Multiple(() =>
        {
            Assert.That(result.Retrying, Is.EqualTo(1), "kept for when the operator fixed the trusted IPs");
            Assert.That(app.Logs.Lines, Has.Some.Contains("untrusted IP").And.Contains("企业可信IP"));
            Assert.That(check.GetProperty("data").GetProperty("untrustedIp").GetBoolean(), Is.True);
            Assert.That(check.GetProperty("data").GetProperty("pending").GetInt32(), Is.EqualTo(1));
            Assert.That(check.GetProperty("description").GetString(), Does.Contain("untrusted IP"));
        });
    }

    [Test]
    public async Task QuietHours_HoldAnOrdinaryCaseUntilMorning_ButAnEmergencyGoesAtOnce()
    {
        // 22:00 Beijing time.
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 14, 0, 0, TimeSpan.Zero));
        app = WecomTestApp.Start(wechat, wecom, clock, more: new Dictionary<string, string?>
        {
            ["Wecom:QuietHoursStart"] = "21:00",
            ["Wecom:QuietHoursEnd"] = "08:00",
        });
        (await app.MappedStaffAsync("gym-night", "community", "gongyuanmen", "night-user")).Dispose();

        var ordinary = await FileAsync("resident-night");
        var emergency = await FileAsync("resident-gas", category: "power-gas");
        var night = await app.SendWecomAsync();
        var heldRow = (await app.OutboxAsync()).Single(n => n.Channel == WecomStore.Channel && n.TrackingNo == ordinary);
        var atNight = wecom.Cards().Select(c => c.Title).ToList();

        // 07:59, still quiet; then 08:00.
        clock.Advance(TimeSpan.FromHours(9) + TimeSpan.FromMinutes(59));
        var beforeEight = await app.SendWecomAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        var morning = await app.SendWecomAsync();

        Assert.Multiple(() =>
        {
            Assert.That(night.Held, Is.EqualTo(1));
            Assert.That(atNight, Has.Count.EqualTo(1));
            Assert.That(atNight[0], Does.Contain(emergency), "an emergency category is never held");
            Assert.That(heldRow.LastError, Is.EqualTo(WecomStore.HeldQuietHours));
            Assert.That(heldRow.DueAt.ToOffset(ChinaTime.Offset).TimeOfDay, Is.EqualTo(TimeSpan.FromHours(8)));
            Assert.That(beforeEight.Sent, Is.Zero);
            Assert.That(morning.Sent, Is.EqualTo(1));
            Assert.That(wecom.Cards().Last().Title, Does.Contain(ordinary));
        });
    }

    [Test]
    public async Task QuietHours_AFridayNightsCase_ReachesTheUnitOnMondayMorning()
    {
        // Friday 22:00 Beijing time (before the binding codes the test makes now expire); Saturday and Sunday are rest
        // days of the (weekdays) calendar.
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero));
        app = WecomTestApp.Start(wechat, wecom, clock, more: new Dictionary<string, string?>
        {
            ["Wecom:QuietHoursStart"] = "21:00",
            ["Wecom:QuietHoursEnd"] = "08:00",
        });
        (await app.MappedStaffAsync("gym-weekend", "community", "gongyuanmen", "weekend-user")).Dispose();

        var ordinary = await FileAsync("resident-friday");
        var friday = await app.SendWecomAsync();
        var heldRow = (await app.OutboxAsync()).Single(n => n.Channel == WecomStore.Channel && n.TrackingNo == ordinary);
        clock.Advance(TimeSpan.FromHours(12));   // Saturday 10:00
        var saturday = await app.SendWecomAsync();
        clock.Advance(TimeSpan.FromHours(46));   // Monday 08:00
        var monday = await app.SendWecomAsync();

        Assert.Multiple(() =>
        {
            Assert.That(friday.Held, Is.EqualTo(1));
            Assert.That(heldRow.DueAt.ToOffset(ChinaTime.Offset), Is.EqualTo(new DateTimeOffset(2026, 11, 30, 8, 0, 0, ChinaTime.Offset)));
            Assert.That(saturday.Sent, Is.Zero);
            Assert.That(monday.Sent, Is.EqualTo(1));
            Assert.That(wecom.Cards().Last().Title, Does.Contain(ordinary));
        });
    }
}
