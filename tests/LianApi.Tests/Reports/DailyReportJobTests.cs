using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Reports;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Wecom;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Reports;

/// <summary>The leased job on the fake clock, the report verb, and the WeCom cards to the configured recipients.</summary>
public sealed class DailyReportJobTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [TestCase("2026-12-08T07:29", "2026-12-06", "2026-11-30", TestName = "Due_BeforeTheTime_IsTheDayBefore")]
    [TestCase("2026-12-08T07:30", "2026-12-07", "2026-11-30", TestName = "Due_AtTheTime_IsYesterday_AndLastWeek")]
    [TestCase("2026-12-07T07:29", "2026-12-05", "2026-11-23", TestName = "Due_OnMondayBeforeTheTime_IsStillTheWeekBeforeLast")]
    [TestCase("2026-12-07T07:30", "2026-12-06", "2026-11-30", TestName = "Due_OnMondayAtTheTime_IsTheWeekJustEnded")]
    public void Due(string beijing, string daily, string weekly)
    {
        var now = DateTime.SpecifyKind(DateTime.Parse(beijing, System.Globalization.CultureInfo.InvariantCulture) - Beijing, DateTimeKind.Utc);

        Assert.That(DailyReportService.Due(now, new DailyReportOptions()), Is.EqualTo(new[]
        {
            (ReportKinds.Daily, DateOnly.Parse(daily, System.Globalization.CultureInfo.InvariantCulture)),
            (ReportKinds.Weekly, DateOnly.Parse(weekly, System.Globalization.CultureInfo.InvariantCulture)),
        }));
    }

    [Test]
    public async Task TheJob_PastTheConfiguredTime_WritesYesterdayOnce_AndCatchesUpOnlyTheLatestMissedDay()
    {
        // Started at 07:00 after a week down: the job's first look, one period after start (07:05), writes the latest periods
        // already due (6 December, the week of 30 November), no older one.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 7, 0, 0, Beijing));
        await using var app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Reports:Enabled"] = "true",
            ["Reports:CheckEvery"] = "00:05:00",
            ["Jwt:StaffTokenLifetime"] = "1.00:00:00",
            // Each check says so at Debug: the test waits for it.
            ["Logging:LogLevel:LianApi.Reports"] = "Debug",
        },
            configureServices: s => FakeClock.Use(s, clock));
        var store = app.Service<DailyReportStore>();
        using var dispatcher = await app.StaffAsync("job-dispatcher", "dispatcher", null);
        var atStart = await store.ListAsync(null, Ct);
        clock.Advance(TimeSpan.FromMinutes(5));    // 07:05: the first check
        await ChecksAsync(app, 1);

        clock.Advance(TimeSpan.FromMinutes(26));   // 07:31: the next check finds yesterday's report due
        await ChecksAsync(app, 2);
        var first = await store.ListAsync(null, Ct);
        clock.Advance(TimeSpan.FromMinutes(10));   // at least one more check, which finds everything kept
        await ChecksAsync(app, 3);

        var kept = await store.ListAsync(null, Ct);
        var response = await dispatcher.GetAsync("/api/staff/reports/daily/2026-12-07.pdf", Ct);
        Assert.Multiple(() =>
        {
            Assert.That(kept.Select(k => (k.Kind, k.From)), Is.EquivalentTo(new[]
            {
                (ReportKinds.Daily, new DateOnly(2026, 12, 6)), (ReportKinds.Daily, new DateOnly(2026, 12, 7)), (ReportKinds.Weekly, new DateOnly(2026, 11, 30)),
            }));
            Assert.That(atStart, Is.Empty, "nothing is drawn while the instance starts");
            Assert.That(kept, Is.EqualTo(first), "not written again by the later checks");
            Assert.That(kept.Single(k => k.From == new DateOnly(2026, 12, 7)).GeneratedAt, Is.EqualTo(new DateTime(2026, 12, 7, 23, 31, 0, DateTimeKind.Utc)),
                "at the first check after 07:30 Beijing: 07:31");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
        });
    }

    /// <summary>Waits until the background job, released by the fake clock, has looked for due reports <paramref name="count"/> times (it says so in its log).</summary>
    private static Task ChecksAsync(LianApiFactory app, int count) =>
        app.Logs.WhenAsync(lines => lines.Count(l => l.Contains("Looked for due reports", StringComparison.Ordinal)) >= count).WaitAsync(TimeSpan.FromSeconds(60), Ct);

    [Test]
    public async Task TheVerb_WritesThePdfAndXlsx_AndKeepsTheReport()
    {
        await using var app = new LianApiFactory(new Dictionary<string, string?> { ["Reports:Enabled"] = "false" });
        var output = Path.Combine(app.DataDirectory, "out");

        var exit = await app.RunVerbAsync("report", "weekly", "--date", "2026-12-02", "--out", output);

        var kept = await app.Service<DailyReportStore>().ListAsync(null, Ct);
        using var xlsx = new XlsxFile(await File.ReadAllBytesAsync(Path.Combine(output, "report-weekly-20261130.xlsx"), Ct));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(File.Exists(Path.Combine(output, "report-weekly-20261130.pdf")), Is.True);
            Assert.That(xlsx.Text(1, 1), Is.EqualTo("莲湖区“民呼我行”诉求办理周报 · 2026年第49周（11月30日至12月6日）"));
            Assert.That(kept.Select(k => (k.Kind, k.From, k.To)), Is.EqualTo(new[] { (ReportKinds.Weekly, new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 6)) }));
        });
    }

    [Test]
    public async Task TheVerb_WithABadDate_SaysWhatIsWrong()
    {
        await using var app = new LianApiFactory(new Dictionary<string, string?> { ["Reports:Enabled"] = "false" });

        Assert.That(await app.RunVerbAsync("report", "daily", "--date", "7.12.2026"), Is.EqualTo(1));
    }

    [Test]
    public async Task WecomRecipients_GetOneCardEach_WithTheHeadlineAndTheLink_NotAgainWhenRegenerated()
    {
        await using var wechat = await FakeWechatServer.StartAsync();
        await using var wecom = await FakeWecomServer.StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 8, 0, 0, Beijing));
        await using var app = WecomTestApp.Start(wechat, wecom, clock, more: new Dictionary<string, string?>
        {
            ["Reports:Enabled"] = "false",
            ["Reports:Recipients:0"] = "leader-li",
            ["Reports:Recipients:1"] = "center-wang",
        });
        var reports = app.Service<DailyReportService>();

        await reports.GenerateAsync(ReportKinds.Daily, new DateOnly(2026, 12, 8), Ct);
        await app.SendWecomAsync();
        await reports.GenerateAsync(ReportKinds.Daily, new DateOnly(2026, 12, 8), Ct);
        await app.SendWecomAsync();

        var cards = wecom.Cards();
        Assert.Multiple(() =>
        {
            Assert.That(cards.Select(c => c.ToUser), Is.EquivalentTo(new[] { "leader-li", "center-wang" }), "one card each, once");
            Assert.That(cards.Select(c => c.Title), Is.All.EqualTo("莲湖区“民呼我行”诉求办理日报 · 2026年12月8日"));
            Assert.That(cards[0].Description, Does.Contain("受理量：0（较前日 —）").And.Contain("办结率：—（较前日 —）").And.Contain("满意率：—").And.Contain("当前超期：0 件"));
            Assert.That(cards.Select(c => c.Url), Is.All.EqualTo(FakeWecomServer.ConsoleBaseUrl + "/data/reports/daily/2026-12-08.pdf"));
        });
    }
}
