using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Stats;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Stats;

/// <summary>
/// 环比 and 同比 on a fake clock: two reports in 贡院门社区 on 10 November 2025, three in October 2026 (two in 贡院门社区, one in
/// 大兴东路社区) and four in November 2026 (three in 贡院门社区, one in 大兴东路社区). November 2026 against October 2026
/// and November 2025, by hand: 受理量 4 against 3 (环比 +33.33 %) and 2 (同比 +100 %).
/// </summary>
public sealed class StatsComparisonTests
{
    private static readonly Dictionary<string, string?> DayLongTokens = new()
    {
        ["Jwt:ResidentTokenLifetime"] = "1.00:00:00",
        ["Jwt:StaffTokenLifetime"] = "1.00:00:00",
    };

    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient dispatcher = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task FileOverThreePeriods()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2025, 11, 10, 9, 0, 0, TimeSpan.FromHours(8)));
        app = new LianApiFactory(DayLongTokens, configureServices: s => FakeClock.Use(s, clock));
        await FileAsync("2025", ("gongyuanmen", 2));
        clock.SetUtcNow(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        await FileAsync("2026-10", ("gongyuanmen", 2), ("daxingdonglu", 1));
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.FromHours(8)));
        await FileAsync("2026-11", ("gongyuanmen", 3), ("daxingdonglu", 1));
        dispatcher = await app.StaffAsync("compare-dispatcher", "dispatcher", null);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        dispatcher.Dispose();
        await app.DisposeAsync();
    }

    private async Task FileAsync(string period, params (string Community, int Count)[] reports)
    {
        var n = 0;
        foreach (var (community, count) in reports)
        {
            for (var i = 0; i < count; i++)
            {
                using var resident = await app.LoginAsync($"compare-{period}-{n++}");
                (await resident.SubmitAsync(Requests.Complaint(community: community))).EnsureSuccessStatusCode();
            }
        }
    }

    [TestCase("2026-11-01", "2026-11-30", "2026-10-01", "2026-10-31", TestName = "PreviousPeriod_OfAMonth_IsTheMonthBefore")]
    [TestCase("2026-10-01", "2026-12-31", "2026-07-01", "2026-09-30", TestName = "PreviousPeriod_OfAQuarter_IsTheQuarterBefore")]
    [TestCase("2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28", TestName = "PreviousPeriod_OfMarch_IsAllOfFebruary")]
    [TestCase("2026-11-09", "2026-11-15", "2026-11-02", "2026-11-08", TestName = "PreviousPeriod_OfAWeek_IsTheWeekBefore")]
    [TestCase("2026-11-10", "2026-11-10", "2026-11-09", "2026-11-09", TestName = "PreviousPeriod_OfADay_IsTheDayBefore")]
    public void PreviousPeriod(string from, string to, string previousFrom, string previousTo) =>
        Assert.That(StatsReader.PreviousPeriod(DateOnly.Parse(from), DateOnly.Parse(to)), Is.EqualTo((DateOnly.Parse(previousFrom), DateOnly.Parse(previousTo))));

    [Test]
    public async Task Compare_GivesThePeriodBeforeAndTheYearBefore_ForTheTotalAndEachGroup()
    {
        var report = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats?from=2026-11-01&to=2026-11-30&groupBy=community&compare=true", Ct);
        var plain = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats?from=2026-11-01&to=2026-11-30&groupBy=community", Ct);
        int Received(JsonElement figures) => figures.GetProperty("received").GetInt32();
        JsonElement Group(JsonElement period, string key) => period.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == key);

        var previous = report.GetProperty("previous");
        var yearBefore = report.GetProperty("yearBefore");
        Assert.Multiple(() =>
        {
            Assert.That(Received(report.GetProperty("total")), Is.EqualTo(4));
            Assert.That((previous.GetProperty("from").GetString(), previous.GetProperty("to").GetString()), Is.EqualTo(("2026-10-01", "2026-10-31")));
            Assert.That(Received(previous.GetProperty("total")), Is.EqualTo(3));
            Assert.That((yearBefore.GetProperty("from").GetString(), yearBefore.GetProperty("to").GetString()), Is.EqualTo(("2025-11-01", "2025-11-30")));
            Assert.That(Received(yearBefore.GetProperty("total")), Is.EqualTo(2));
            Assert.That(Received(Group(previous, "gongyuanmen")), Is.EqualTo(2));
            Assert.That(Received(Group(previous, "daxingdonglu")), Is.EqualTo(1));
            Assert.That(Received(Group(yearBefore, "gongyuanmen")), Is.EqualTo(2));
            Assert.That(yearBefore.GetProperty("groups").GetArrayLength(), Is.EqualTo(1), "大兴东路社区 had no case in November 2025");
            Assert.That(plain.GetProperty("previous").ValueKind, Is.EqualTo(JsonValueKind.Null), "only when asked");
        });
    }

    [Test]
    public async Task ByMonth_OnlyTheTotalsCompare()
    {
        var report = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats?from=2026-10-01&to=2026-11-30&groupBy=month&compare=true", Ct);

        Assert.Multiple(() =>
        {
            Assert.That(report.GetProperty("previous").GetProperty("groups").GetArrayLength(), Is.Zero);
            // October and November 2026 (7) against August and September 2026 (0) and October and November 2025 (2).
            Assert.That(report.GetProperty("total").GetProperty("received").GetInt32(), Is.EqualTo(7));
            Assert.That(report.GetProperty("previous").GetProperty("total").GetProperty("received").GetInt32(), Is.Zero);
            Assert.That(report.GetProperty("yearBefore").GetProperty("total").GetProperty("received").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task TheWorkbook_HasAComparisonSheet_CountsAsPercentChange_RatesAsPoints()
    {
        var response = await dispatcher.GetAsync("/api/staff/stats/export?from=2026-11-01&to=2026-11-30&groupBy=community&format=xlsx", Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        // Kept beside the screenshots, to be opened and printed by a person.
        var saved = Path.Combine(TestContext.CurrentContext.WorkDirectory, "stats-report-2026-11.xlsx");
        await File.WriteAllBytesAsync(saved, bytes, Ct);
        TestContext.AddTestAttachment(saved);
        using var xlsx = new XlsxFile(bytes, sheet: 1);
        var total = xlsx.RowCount;
        var gongyuanmen = Enumerable.Range(5, total - 5).Single(r => xlsx.Text(r, 1) == "贡院门社区");
        var titles = xlsx.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.DefinedName>().Select(n => n.Text).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(xlsx.SheetNames, Is.EqualTo(new[] { "统计", StatsExport.ComparisonSheet, StatsExport.CallBackSheet, StatsExport.WhistleSheet }));
            Assert.That(xlsx.Text(1, 1), Does.EndWith("· 环比与同比"));
            Assert.That(xlsx.Text(2, 1), Does.StartWith("上期：2026年10月1日至2026年10月31日　去年同期：2025年11月1日至2025年11月30日"));
            Assert.That(Enumerable.Range(1, 6).Select(c => xlsx.Text(4, c)), Is.EqualTo(new[] { "", "本期", "上期", "环比", "去年同期", "同比" }));
            Assert.That(xlsx.Text(3, 2), Is.EqualTo("受理量"));
            Assert.That(xlsx.Text(total, 1), Is.EqualTo("合计"));
            Assert.That(Enumerable.Range(2, 5).Select(c => xlsx.Number(total, c)), Is.EqualTo(new[] { 4, 3, 0.3333, 2, 1.0 }),
                "受理量 4, 上期 3 (+33.33 %), 去年同期 2 (+100 %)");
            Assert.That(xlsx.NumberFormat(total, 4), Is.EqualTo("10"), "a count's change is a percentage");
            Assert.That(Enumerable.Range(2, 5).Select(c => xlsx.Number(gongyuanmen, c)), Is.EqualTo(new[] { 3, 2, 0.5, 2, 0.5 }));
            Assert.That(xlsx.Text(4, 9), Is.EqualTo("环比（百分点）"), "办结率's change is in points");
            Assert.That(titles, Is.EquivalentTo(new[] { "'统计'!$1:$3", "'环比同比'!$1:$4", "'回访'!$1:$3", "'吹哨报到'!$1:$3" }));
        });
    }

    [Test]
    public void Change_OfACount_IsAShare_OfARate_IsPoints_AndNothingFromZero()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StatsExport.Change(4, 3, isRate: false), Is.EqualTo(0.3333));
            Assert.That(StatsExport.Change(4, 0, isRate: false), Is.Null, "no change in percent from nothing");
            Assert.That(StatsExport.Change(0.9892, 0.9750, isRate: true), Is.EqualTo(1.42), "98.92 % against 97.50 % is +1.42 points");
            Assert.That(StatsExport.Change(null, 0.9, isRate: true), Is.Null);
        });
    }
}
