using LianApi.Complaints;
using LianApi.Notifications;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Notifications;
using LianApi.Notifications.Wecom;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Wecom;

/// <summary>
/// 临期预警 on a fake clock, with two app instances on one database doing every step at once: at 75 % of the time, 2 hours
/// before, at the deadline and a day later, each warning reaches WeCom exactly once, and from the deadline on the dispatch
/// center hears too.
/// </summary>
public sealed class DeadlineWarningTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [Test]
    public async Task EachWarningPoint_ReachesWecomExactlyOnce_WithTwoInstancesOnOneDatabase()
    {
        await using var wechat = await FakeWechatServer.StartAsync();
        NotificationTestApp.AnswerLikeWechat(wechat);
        await using var wecom = await FakeWecomServer.StartAsync();
        // Tuesday 2026-12-08 10:00 Beijing time.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 2, 0, 0, TimeSpan.Zero));
        await using var one = WecomTestApp.Start(wechat, wecom, clock);
        using var worker = await one.MappedStaffAsync("warn-gym", "community", "gongyuanmen", "warn-community");
        (await one.MappedStaffAsync("warn-center", "dispatcher", null, "warn-center")).Dispose();
        await using var two = WecomTestApp.Start(wechat, wecom, clock, databasePath: one.DatabasePath);
        _ = two.Services;

        using var resident = await one.LoginAsync("warn-resident");
        var trackingNo = await resident.FileAsync();
        (await worker.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        var accepted = one.Case(trackingNo);
        var start = accepted.AcceptedAt!.Value;
        var deadline = accepted.ResolutionDueAt!.Value;

        async Task<IReadOnlyList<(string ToUser, string Title, string Description)>> At(DateTime utc)
        {
            clock.Advance(utc - clock.GetUtcNow().UtcDateTime);
            var before = wecom.Cards().Count;
            // Both instances sweep and warn at once, then both send at once.
            await Task.WhenAll(one.Service<DeadlineSweep>().RunOnceAsync(Ct), two.Service<DeadlineSweep>().RunOnceAsync(Ct));
            await Task.WhenAll(one.Service<DeadlineWarnings>().RunAsync(utc, Ct), two.Service<DeadlineWarnings>().RunAsync(utc, Ct),
                one.Service<DeadlineWarnings>().RunAsync(utc, Ct));
            await Task.WhenAll(one.SendWecomAsync(), two.SendWecomAsync());
            return wecom.Cards().Skip(before).Where(c => c.Title.Contains(trackingNo) && !c.Title.Contains("新案件"))
                .Select(c => (c.ToUser, c.Title, c.Description)).ToList();
        }

        var minute = TimeSpan.FromMinutes(1);
        var threeQuarters = start + (deadline - start) * 0.75;
        var early = await At(threeQuarters - minute);
        var atThreeQuarters = await At(threeQuarters + minute);
        var again = await At(threeQuarters + 2 * minute);
        var twoHoursBefore = await At(deadline - TimeSpan.FromHours(2) + minute);
        var atDeadline = await At(deadline + minute);
        var sameDay = await At(deadline + TimeSpan.FromHours(5));
        var dayLater = await At(deadline + TimeSpan.FromDays(1) + minute);

        Assert.Multiple(() =>
        {
            Assert.That(early, Is.Empty, "nothing before the first point");
            Assert.That(atThreeQuarters.Select(c => c.ToUser), Is.EqualTo(new[] { "warn-community" }), "75 %: the unit, once");
            Assert.That(atThreeQuarters.Single().Title, Does.StartWith("临期预警"));
            Assert.That(atThreeQuarters.Single().Description, Does.Contain($"办理时限：{KeywordValues.Format(deadline)}（北京时间）").And.Contain("请抓紧办理"));
            Assert.That(again, Is.Empty, "a point is warned once");
            Assert.That(twoHoursBefore.Select(c => c.ToUser), Is.EqualTo(new[] { "warn-community" }), "2 hours before: the unit, once");
            Assert.That(atDeadline.Select(c => c.ToUser), Is.EquivalentTo(new[] { "warn-community", "warn-center" }), "超期: the unit and the dispatch center, once each");
            Assert.That(atDeadline.Select(c => c.Title), Has.All.StartWith("案件已超期"));
            Assert.That(sameDay, Is.Empty, "one overdue warning a day");
            Assert.That(dayLater.Select(c => c.ToUser), Is.EquivalentTo(new[] { "warn-community", "warn-center" }), "a day overdue: both again, once each");
            Assert.That(dayLater.Select(c => c.Title), Has.All.StartWith("案件仍超期"));
        });
        var keys = (await one.OutboxAsync()).Where(n => n.Channel == WecomStore.Channel && n.TrackingNo == trackingNo && n.Event != NotificationEvents.StaffCaseReceived).ToList();
        Assert.That(keys, Has.Count.EqualTo(6), "one outbox row per case, deadline, point and audience");
    }

    [Test]
    public void WarningPoints_AreSharesOrTimesBefore()
    {
        var start = new DateTime(2026, 12, 8, 2, 0, 0, DateTimeKind.Utc);
        var deadline = start.AddHours(100);
        Assert.Multiple(() =>
        {
            Assert.That(WarningPoint.TryParse("75%", out var share), Is.True);
            Assert.That(share!.At(start, deadline), Is.EqualTo(start.AddHours(75)));
            Assert.That(WarningPoint.TryParse("2h", out var before), Is.True);
            Assert.That(before!.At(start, deadline), Is.EqualTo(deadline.AddHours(-2)));
            Assert.That(WarningPoint.TryParse("30m", out var minutes), Is.True);
            Assert.That(minutes!.At(start, deadline), Is.EqualTo(deadline.AddMinutes(-30)));
            Assert.That(WarningPoint.TryParse("100%", out _), Is.False);
            Assert.That(WarningPoint.TryParse("soon", out _), Is.False);
        });
    }
}
