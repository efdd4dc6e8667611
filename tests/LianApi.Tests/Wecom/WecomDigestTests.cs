using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Notifications;
using LianApi.Notifications.Wecom;
using LianApi.Shared;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Notifications;
using LianApi.Tests.StaffConsole;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Wecom;

/// <summary>
/// WeCom drops what passes 30 messages a member a minute: several messages to the same people in one run go as one digest;
/// the template card; a slow WeCom never lets a claimed row's lease run out before it is sent.
/// </summary>
public sealed class WecomDigestTests
{
    private FakeWechatServer wechat = null!;
    private FakeWecomServer wecom = null!;
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;

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
        if (app is not null)
        {
            await app.DisposeAsync();
            app = null!;
        }
        await wecom.DisposeAsync();
        await wechat.DisposeAsync();
    }

    private async Task<string> FileAsync(string residentCode, string category = "property", string community = "gongyuanmen")
    {
        using var resident = await app.LoginAsync(residentCode);
        var response = await resident.SubmitAsync(Requests.Complaint("小区电梯坏了三天，老人上下楼困难", community, category, "13812345678"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    [Test]
    public async Task ANightsCases_ReachEachMemberAtEightAsOneDigest_AnEmergencyAtOnceOnItsOwn_AndTheLinkOpensTheirToDo()
    {
        // 22:00 Beijing time.
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 14, 0, 0, TimeSpan.Zero));
        app = WecomTestApp.Start(wechat, wecom, clock, more: new Dictionary<string, string?>
        {
            ["Wecom:QuietHoursStart"] = "21:00",
            ["Wecom:QuietHoursEnd"] = "08:00",
        });
        (await app.MappedStaffAsync("digest-1", "community", "gongyuanmen", "digest-a")).Dispose();
        (await app.MappedStaffAsync("digest-2", "community", "gongyuanmen", "digest-b")).Dispose();

        var night = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            night.Add(await FileAsync($"resident-digest-{i}"));
        }
        var emergency = await FileAsync("resident-digest-gas", category: "power-gas");
        var atNight = await app.SendWecomAsync();
        var cardsAtNight = wecom.Cards().ToList();
        clock.Advance(TimeSpan.FromHours(10));   // Wednesday 08:00
        var morning = await app.SendWecomAsync();
        var digest = wecom.Cards().Skip(cardsAtNight.Count).ToList();

        var browser = new ConsoleBrowser(app);
        using (var member = await app.LoginAsync("digest-1"))
        {
            await browser.LogInAsync(member);
        }
        var opened = await browser.GetAsync("/console" + digest.Single().Url[FakeWecomServer.ConsoleBaseUrl.Length..]);
        var deadline = ChinaTime.ToChina(app.Case(night[0]).ResponseDueAt).ToString("M月d日 HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(atNight.Sent, Is.EqualTo(1));
            Assert.That(cardsAtNight.Single().Title, Does.Contain(emergency), "an emergency goes at once, on its own card");
            Assert.That(morning.Sent, Is.EqualTo(4), "every held row is marked sent");
            Assert.That(digest, Has.Count.EqualTo(1), "one message for the night, not four");
            Assert.That(digest[0].ToUser, Is.EqualTo("digest-a|digest-b"));
            Assert.That(digest[0].Title, Is.EqualTo("4 条案件提醒：新案件 4"));
            Assert.That(digest[0].Description, Does.Contain("贡院门社区"));
            foreach (var trackingNo in night)
            {
                Assert.That(digest[0].Description, Does.Contain($"新案件 {trackingNo} 物业管理 时限 "), "one line per case");
            }
            Assert.That(digest[0].Description, Does.Contain($"{night[0]} 物业管理 时限 {deadline}"), "with its deadline, Beijing time");
            Assert.That(digest[0].Url, Is.EqualTo($"{FakeWecomServer.ConsoleBaseUrl}/cases?sort=urgent"));
            Assert.That(opened.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(browser.LastHtml, Does.Contain(night[0]).And.Contain(night[3]));
        });
        Assert.That((await app.SendWecomAsync()).Sent, Is.Zero, "nothing is sent twice");
    }

    [Test]
    public async Task TwoCasesGoOnTheirOwn_ThreeGoAsADigest_AndDigestFromZeroNeverMerges()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("few-1", "community", "gongyuanmen", "few-a")).Dispose();

        await FileAsync("resident-few-1");
        await FileAsync("resident-few-2");
        await app.SendWecomAsync();
        var two = wecom.Cards().ToList();
        var three = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            three.Add(await FileAsync($"resident-few-3-{i}"));
        }
        await app.SendWecomAsync();
        var digest = wecom.Cards().Skip(two.Count).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(two.Select(c => c.Title), Has.All.StartWith("新案件待签收："), "below Wecom__DigestFrom (3): one card each");
            Assert.That(two, Has.Count.EqualTo(2));
            Assert.That(digest.Single().Title, Is.EqualTo("3 条案件提醒：新案件 3"));
        });
    }

    [Test]
    public async Task DigestFromZero_SendsEveryCaseOnItsOwnCard()
    {
        app = WecomTestApp.Start(wechat, wecom, clock, more: new Dictionary<string, string?> { ["Wecom:DigestFrom"] = "0" });
        (await app.MappedStaffAsync("each-1", "community", "gongyuanmen", "each-a")).Dispose();
        for (var i = 0; i < 3; i++)
        {
            await FileAsync($"resident-each-{i}");
        }
        var result = await app.SendWecomAsync();

        Assert.That(result.Sent, Is.EqualTo(3));
        Assert.That(wecom.Cards().Select(c => c.Title).ToList(), Has.Count.EqualTo(3).And.All.StartWith("新案件待签收："));
    }

    [Test]
    public async Task TemplateCard_CarriesTheEventCaseDeadlineAndLink_AndAHostWithoutItGetsText()
    {
        app = WecomTestApp.Start(wechat, wecom, clock, more: new Dictionary<string, string?> { ["Wecom:CardType"] = "template_card" });
        (await app.MappedStaffAsync("tpl-1", "community", "gongyuanmen", "tpl-a")).Dispose();

        var trackingNo = await FileAsync("resident-template");
        await app.SendWecomAsync();
        wecom.OnSend(40008, 0);
        var second = await FileAsync("resident-template-2");
        await app.SendWecomAsync();

        var sends = wecom.Sends().Select(s => s.Body).ToList();
        var card = sends[0].GetProperty("template_card");
        var due = ChinaTime.ToChina(app.Case(trackingNo).ResponseDueAt);
        var url = $"{FakeWecomServer.ConsoleBaseUrl}/cases/{trackingNo}";
        var lines = card.GetProperty("horizontal_content_list").EnumerateArray()
            .Select(l => (l.GetProperty("keyname").GetString(), l.GetProperty("value").GetString())).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sends[0].GetProperty("msgtype").GetString(), Is.EqualTo("template_card"));
            Assert.That(card.GetProperty("card_type").GetString(), Is.EqualTo("text_notice"));
            Assert.That(card.GetProperty("main_title").GetProperty("title").GetString(), Is.EqualTo("新案件待签收"));
            Assert.That(card.GetProperty("main_title").GetProperty("desc").GetString(), Is.EqualTo(trackingNo));
            Assert.That(card.GetProperty("emphasis_content").GetProperty("title").GetString(), Is.EqualTo(due.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(card.GetProperty("emphasis_content").GetProperty("desc").GetString(), Does.StartWith($"{due.Month}月{due.Day}日"));
            Assert.That(card.GetProperty("sub_title_text").GetString(), Is.EqualTo("小区电梯坏了三天，老人上下楼困难"));
            Assert.That(lines, Does.Contain(("类别", "物业管理")).And.Contain(("单位", "贡院门社区")));
            Assert.That(card.GetProperty("card_action").GetProperty("type").GetInt32(), Is.EqualTo(1));
            Assert.That(card.GetProperty("card_action").GetProperty("url").GetString(), Is.EqualTo(url));
            Assert.That(card.GetProperty("jump_list")[0].GetProperty("url").GetString(), Is.EqualTo(url));
            Assert.That(sends[1].GetProperty("msgtype").GetString(), Is.EqualTo("template_card"), "refused with 40008 …");
            Assert.That(sends[2].GetProperty("msgtype").GetString(), Is.EqualTo("text"), "… then the same message as text");
            Assert.That(sends[2].GetProperty("text").GetProperty("content").GetString(), Does.Contain(second).And.Contain($"/cases/{second}"));
        });
    }

    [Test]
    public async Task ASlowWecom_GivesBackRowsWhoseLeaseWouldRunOut_AndTheyAreSentOnceNextRun()
    {
        // A lease of 30 s and calls of at most 20 s: a message is sent only while 25 s of its lease are left.
        app = WecomTestApp.Start(wechat, wecom, clock, more: new Dictionary<string, string?>
        {
            ["Notifications:LeaseDuration"] = "00:00:30",
            ["Wecom:AttemptTimeout"] = "00:00:10",
            ["Wecom:TotalTimeout"] = "00:00:20",
        });
        (await app.MappedStaffAsync("slow-1", "community", "gongyuanmen", "slow-a")).Dispose();
        (await app.MappedStaffAsync("slow-2", "community", "daxingdonglu", "slow-b")).Dispose();
        var first = await FileAsync("resident-slow-1");
        var second = await FileAsync("resident-slow-2", community: "daxingdonglu");
        // The first call takes 6 s (less than its attempt timeout, which runs on the same clock).
        var calls = 0;
        wecom.WhileSending = () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                clock.Advance(TimeSpan.FromSeconds(6));
            }
        };

        var slow = await app.SendWecomAsync();
        var afterSlow = wecom.Cards().Count;
        var rows = (await app.OutboxAsync()).Where(n => n.Channel == WecomStore.Channel).ToList();
        var next = await app.SendWecomAsync();

        Assert.Multiple(() =>
        {
            Assert.That(slow.Sent, Is.EqualTo(1));
            Assert.That(afterSlow, Is.EqualTo(1), "the second message was not sent on a lease about to end");
            Assert.That(rows.Count(r => r.Status == NotificationStatus.Pending), Is.EqualTo(1), "given back, still pending");
            Assert.That(next.Sent, Is.EqualTo(1), "the next run sends it at once: no lease left to wait for");
            Assert.That(wecom.Cards().Select(c => c.Title), Has.Exactly(1).Contain(first).And.Exactly(1).Contain(second));
        });
    }

    [Test]
    public void EveryStaffEvent_HasAShortLabelForADigestLine()
    {
        var events = NotificationEvents.Staff.Concat(WecomEvents.Labels.Keys).ToList();
        Assert.That(WecomMessages.ShortLabels.Keys, Is.EquivalentTo(events));
        Assert.That(WecomMessages.ShortLabels.Values, Has.All.Length.InRange(1, WecomTemplateCard.KeyChars));
    }
}
