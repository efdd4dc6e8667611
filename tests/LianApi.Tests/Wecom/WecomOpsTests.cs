using LianApi.Notifications;
using LianApi.Notifications.Wecom;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Wecom;

/// <summary>Mapping staff as ops do (the verb, the import), the morning to-do, and the crash bound of at-least-once.</summary>
public sealed class WecomOpsTests
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
        // Tuesday 2026-12-08 08:00 Beijing time.
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await wecom.DisposeAsync();
        await wechat.DisposeAsync();
    }

    [Test]
    public async Task StaffWecomVerb_MapsOnePerson_ThenTheirCasesComeByWecom_AndDashUnmaps()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("verb-gym", "community", "gongyuanmen", wecomUserId: null)).Dispose();
        var id = (await app.Service<StaffStore>().ListForOpsAsync(Ct)).Single(s => s.Name == "员verb-gym").Id;

        var bad = await app.RunVerbAsync("staff", "wecom", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "not a user id");
        var mapped = await app.RunVerbAsync("staff", "wecom", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "verb.user@lianhu");
        using (var resident = await app.LoginAsync("verb-resident"))
        {
            await resident.FileAsync();
        }
        await app.SendWecomAsync();
        var unmapped = await app.RunVerbAsync("staff", "wecom", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-");
        var listing = (await app.Service<StaffStore>().ListForOpsAsync(Ct)).Single(s => s.Id == id);

        Assert.Multiple(() =>
        {
            Assert.That(bad, Is.EqualTo(1), "refused: spaces are not in WeCom user ids");
            Assert.That(mapped, Is.Zero);
            Assert.That(wecom.Cards().Select(c => c.ToUser), Is.EqualTo(new[] { "verb.user@lianhu" }));
            Assert.That(unmapped, Is.Zero);
            Assert.That(listing.WecomUserId, Is.Null);
        });
    }

    [Test]
    public async Task StaffImport_WecomColumn_MapsEachRow_AndRefusesAnIdTwice()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        var import = new StaffImport(app.Service<LianApi.Communities.CommunityStore>(), app.Service<StaffStore>());
        var good = Path.Combine(app.DataDirectory, "wecom-staff.csv");
        await File.WriteAllLinesAsync(good, ["name,role,unit,grid,wecom", "孙社区,community,gongyuanmen,,sun.she", "周社区,community,gongyuanmen,,"], Ct);
        var twice = Path.Combine(app.DataDirectory, "wecom-twice.csv");
        await File.WriteAllLinesAsync(twice, ["name,role,unit,wecom", "吴社区,community,gongyuanmen,sun.she", "郑社区,community,gongyuanmen,bad id"], Ct);

        var (accounts, errors) = await import.CheckAsync(good, Ct);
        await import.CreateAsync(accounts, clock.GetUtcNow().UtcDateTime, TimeSpan.FromDays(3), Ct);
        var (_, twiceErrors) = await import.CheckAsync(twice, Ct);
        var staff = await app.Service<StaffStore>().ListForOpsAsync(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(errors, Is.Empty);
            Assert.That(staff.Single(s => s.Name == "孙社区").WecomUserId, Is.EqualTo("sun.she"));
            Assert.That(staff.Single(s => s.Name == "周社区").WecomUserId, Is.Null, "an empty cell: no WeCom, subscribe messages");
            Assert.That(twiceErrors, Has.Count.EqualTo(2));
            Assert.That(twiceErrors[0], Does.StartWith("line 2:").And.Contain("belongs to another staff member"));
            Assert.That(twiceErrors[1], Does.StartWith("line 3:").And.Contain("is not a WeCom user id"));
        });
    }

    [Test]
    public async Task MorningTodo_OnAWorkingDay_OneCardPerMappedUnitWithItsCounts_OnceOnly_AndNoneOnSaturday()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("todo-gym", "community", "gongyuanmen", "todo-community")).Dispose();
        (await app.MappedStaffAsync("todo-center", "dispatcher", null, "todo-center")).Dispose();
        var filed = new List<string>();
        using (var resident = await app.LoginAsync("todo-resident"))
        {
            filed.Add(await resident.FileAsync());
            filed.Add(await resident.FileAsync());
        }
        await app.SendWecomAsync();
        var arrivals = wecom.Cards().Count;
        var todo = app.Service<MorningTodo>();

        await todo.RunAsync(clock.GetUtcNow().UtcDateTime, Ct);
        var beforeTime = wecom.Cards().Count;
        // 08:31 on Tuesday: written; again a minute later: not again.
        clock.Advance(TimeSpan.FromMinutes(31));
        await todo.RunAsync(clock.GetUtcNow().UtcDateTime, Ct);
        await todo.RunAsync(clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1), Ct);
        await app.SendWecomAsync();
        var tuesday = wecom.Cards().Skip(arrivals).ToList();
        // Saturday 2026-12-12 08:31.
        clock.Advance(TimeSpan.FromDays(4));
        await todo.RunAsync(clock.GetUtcNow().UtcDateTime, Ct);
        await app.SendWecomAsync();

        var community = tuesday.Single(c => c.ToUser == "todo-community");
        // The card opens in the console as the member's own to-do: the path under the console's base address.
        var browser = new LianApi.Tests.StaffConsole.ConsoleBrowser(app);
        using (var communityStaff = await app.LoginAsync("todo-gym"))
        {
            await browser.LogInAsync(communityStaff);
        }
        var opened = await browser.GetAsync("/console" + community.Url[FakeWecomServer.ConsoleBaseUrl.Length..]);
        Assert.Multiple(() =>
        {
            Assert.That(beforeTime, Is.EqualTo(arrivals), "nothing before the digest time");
            Assert.That(tuesday.Select(c => c.ToUser), Is.EquivalentTo(new[] { "todo-community", "todo-center" }), "one card per unit, once");
            Assert.That(community.Title, Is.EqualTo("今日待办 · 贡院门社区"));
            Assert.That(community.Description, Does.Contain("新案件 2 件").And.Contain("已超期 0 件"));
            Assert.That(community.Url, Is.EqualTo($"{FakeWecomServer.ConsoleBaseUrl}/cases?sort=urgent"));
            Assert.That(opened.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), "the link is a console page (was /inbox?filter=today: no such page)");
            Assert.That(browser.LastHtml, Does.Contain(filed[0]).And.Contain(filed[1]), "the unit's cases are listed");
            Assert.That(wecom.Cards().Count, Is.EqualTo(arrivals + 2), "no to-do on a Saturday");
        });
    }

    [Test]
    public async Task CrashBetweenSendAndMark_ResendsThatOneMessageOnce_AfterTheLease()
    {
        app = WecomTestApp.Start(wechat, wecom, clock);
        (await app.MappedStaffAsync("crash-gym", "community", "gongyuanmen", "crash-user")).Dispose();
        using (var resident = await app.LoginAsync("crash-resident"))
        {
            await resident.FileAsync();
        }
        // An instance claims the row and WeCom takes the message, then the instance dies before marking it sent.
        var store = app.Service<WecomStore>();
        var now = clock.GetUtcNow().UtcDateTime;
        var id = (await store.ListDueAsync(now, 10, Ct)).Single();
        var claimed = (await store.ClaimAsync(id, "crashed-instance", now, now + TimeSpan.FromMinutes(2), Ct))!;
        var card = WecomMessages.For(claimed, app.Service<Microsoft.Extensions.Options.IOptions<WecomOptions>>().Value).Card;
        var token = await app.Service<WecomAccessTokenProvider>().GetAsync(Ct);
        await app.Services.GetRequiredService<WecomClient>().SendCardAsync(token, claimed.Recipients, card, Ct);

        var underLease = await app.SendWecomAsync();
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var afterLease = await app.SendWecomAsync();
        var again = await app.SendWecomAsync();

        var sends = wecom.Sends();
        Assert.Multiple(() =>
        {
            Assert.That(underLease.Sent, Is.Zero, "the crashed instance's lease holds the row");
            Assert.That(afterLease.Sent, Is.EqualTo(1));
            Assert.That(again.Sent, Is.Zero);
            Assert.That(sends, Has.Count.EqualTo(2), "sent once by the crashed instance and re-sent once: at most one extra");
            Assert.That(sends[1].Body.GetProperty("textcard").ToString(), Is.EqualTo(sends[0].Body.GetProperty("textcard").ToString()),
                "the same message, which WeCom's duplicate check drops within 30 minutes");
            Assert.That(sends.Select(s => s.Body.GetProperty("enable_duplicate_check").GetInt32()), Has.All.EqualTo(1));
        });
        Assert.That((await app.OutboxAsync()).Single(n => n.Channel == WecomStore.Channel).Status, Is.EqualTo(NotificationStatus.Sent));
    }
}
