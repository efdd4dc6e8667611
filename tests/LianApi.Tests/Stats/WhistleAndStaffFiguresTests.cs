using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Stats;
using LianApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Stats;

/// <summary>
/// 吹哨报到 and the groupings by staff, by hand, on a fake clock (Monday 2 November 2026, reports of 供水排水: 4 response hours).
/// In 贡院门社区, community worker 甲 whistles three residents' reports: W1 to 区城管局, which reports (accepts) at once and
/// resolves it (its worker 丙 the handler); W2 to 区城管局, which reports five hours later (late); W3 to 区水务局, which never
/// reports: the sweep hands it to the dispatch center, which dispatches it to 区城管局 (the whistle stays 区水务局's).
/// 甲 also records R1 (敲门行动) and accepts and resolves it (甲: recorder and handler); worker 乙 records R2; in 大兴东路社区
/// (another street) worker 丁 records R3. So, by hand — 区城管局: 吹哨 2, 报到 2, 按时 1 (报到率 100 %, 按时报到率 50 %);
/// 区水务局: 吹哨 1, 报到 0 (0 %, 0 %); by recorder 甲 1, 乙 1, 丁 1; by handler 丙 1, 甲 1.
/// </summary>
public sealed class WhistleAndStaffFiguresTests
{
    private static readonly Dictionary<string, string?> DayLongTokens = new()
    {
        ["Jwt:ResidentTokenLifetime"] = "1.00:00:00",
        ["Jwt:StaffTokenLifetime"] = "1.00:00:00",
    };

    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient dispatcher = null!, street = null!, worker甲 = null!, worker乙 = null!, worker丁 = null!, city = null!, water = null!;
    private string w1 = "", w2 = "", w3 = "";
    private long id甲, id乙, id丙, id丁;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task WhistleAndRecord()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        app = new LianApiFactory(DayLongTokens, configureServices: s => FakeClock.Use(s, clock));
        await app.AddDepartmentsAsync(("wf-city", "区城管局"), ("wf-water", "区水务局"));
        await app.PairAsync("wf-city", "gongyuanmen");
        await app.PairAsync("wf-water", "gongyuanmen");
        dispatcher = await app.StaffAsync("wf-dispatcher", "dispatcher", null);
        street = await app.StaffAsync("wf-street", "street", "beiyuanmen");
        worker甲 = await app.StaffAsync("wf-jia", "community", "gongyuanmen", name: "甲");
        worker乙 = await app.StaffAsync("wf-yi", "community", "gongyuanmen", name: "乙");
        worker丁 = await app.StaffAsync("wf-ding", "community", "daxingdonglu", name: "丁");
        city = await app.StaffAsync("wf-bing", "department", "wf-city", name: "丙");
        water = await app.StaffAsync("wf-water-staff", "department", "wf-water");
        var ids = (await app.Service<LianApi.Staff.StaffStore>().ListAsync(Ct)).Where(s => s.Name.Length == 1).ToDictionary(s => s.Name, s => s.Id);
        (id甲, id乙, id丙, id丁) = (ids["甲"], ids["乙"], ids["丙"], ids["丁"]);

        // The sweep's lease is held, so no background sweep moves W2 before its department reports late.
        await app.Service<LeaseStore>().TryAcquireAsync(LeaseStore.DeadlineSweep, "whistle-figures-test", clock.GetUtcNow().UtcDateTime, TimeSpan.FromDays(30), Ct);
        using (var resident = await app.LoginAsync("wf-resident"))
        {
            (w1, w2, w3) = (await resident.FileAsync("water"), await resident.FileAsync("water"), await resident.FileAsync("water"));
        }
        await OkAsync(worker甲.ActAsync(w1, "whistle", new { reason = "需要执法", target = new { level = "department", code = "wf-city" } }));
        await OkAsync(worker甲.ActAsync(w2, "whistle", new { reason = "需要执法", target = new { level = "department", code = "wf-city" } }));
        await OkAsync(worker甲.ActAsync(w3, "whistle", new { reason = "管道破裂", target = new { level = "department", code = "wf-water" } }));
        await OkAsync(city.ActAsync(w1, "accept"));
        await OkAsync(city.ActAsync(w1, "resolve", new { reply = "已清理占道摊点" }));

        clock.Advance(TimeSpan.FromHours(5));
        await OkAsync(city.ActAsync(w2, "accept"));
        await app.Service<DeadlineSweep>().RunOnceAsync(Ct);
        await OkAsync(dispatcher.ActAsync(w3, "dispatch", new { target = new { level = "department", code = "wf-city" } }));

        var r1 = await RecordAsync(worker甲, "gongyuanmen");
        await RecordAsync(worker乙, "gongyuanmen");
        await RecordAsync(worker丁, "daxingdonglu");
        await OkAsync(worker甲.ActAsync(r1, "accept"));
        await OkAsync(worker甲.ActAsync(r1, "resolve", new { reply = "已清理楼道杂物" }));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        foreach (var client in new[] { dispatcher, street, worker甲, worker乙, worker丁, city, water })
        {
            client.Dispose();
        }
        await app.DisposeAsync();
    }

    private static async Task OkAsync(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<string> RecordAsync(HttpClient staff, string community)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/staff/complaints")
        {
            Content = JsonContent.Create(new
            {
                channel = "door_knock", communityCode = community, categoryCode = "property", description = "楼道堆放杂物，老人进出不便", callbackWanted = false,
            }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await staff.SendAsync(request, Ct);
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("trackingNo").GetString()!;
    }

    private static async Task<JsonElement> StatsAsync(HttpClient staff, string query)
    {
        var response = await staff.GetAsync("/api/staff/stats?from=2026-11-01&to=2026-11-30" + query, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement;
    }

    private sealed record Whistle(string Code, string Name, int Whistled, int Reported, int ReportedOnTime, double? ReportRate, double? OnTimeReportRate);

    private static List<Whistle> Whistles(JsonElement report) => report.GetProperty("whistles").EnumerateArray().Select(w => new Whistle(
        w.GetProperty("code").GetString()!, w.GetProperty("name").GetString()!, w.GetProperty("whistled").GetInt32(), w.GetProperty("reported").GetInt32(),
        w.GetProperty("reportedOnTime").GetInt32(), Rate(w.GetProperty("reportRate")), Rate(w.GetProperty("onTimeReportRate")))).ToList();

    private static double? Rate(JsonElement rate) => rate.ValueKind == JsonValueKind.Null ? null : rate.GetDouble();

    private static readonly Whistle City = new("wf-city", "区城管局", 2, 2, 1, 1.0, 0.5);
    private static readonly Whistle Water = new("wf-water", "区水务局", 1, 0, 0, 0.0, 0.0);

    [Test]
    public async Task Whistles_ByTheDepartmentWhistledTo_ReportedOnTimeLateOrNever()
    {
        var district = await StatsAsync(dispatcher, "");
        var inStreet = await StatsAsync(street, "");
        var ofCity = await StatsAsync(city, "");
        var elsewhere = await StatsAsync(worker丁, "");

        Assert.Multiple(() =>
        {
            Assert.That(Whistles(district), Is.EqualTo(new[] { City, Water }), "the most whistled first; W3 stays 区水务局's though 区城管局 holds it now");
            Assert.That(Whistles(inStreet), Is.EqualTo(new[] { City, Water }), "the street's communities whistled all three");
            Assert.That(Whistles(ofCity), Is.EqualTo(new[] { City }), "a department sees its own");
            Assert.That(Whistles(elsewhere), Is.Empty, "大兴东路社区 whistled nothing");
            Assert.That(app.Case(w3).DepartmentId, Is.Not.EqualTo(app.Case(w3).WhistledDepartmentId), "W3 moved on from the department it was whistled to");
        });
    }

    [Test]
    public async Task Whistles_OfAnotherPeriod_AreNone()
    {
        var october = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats?from=2026-10-01&to=2026-10-31", Ct);

        Assert.That(Whistles(october), Is.Empty);
    }

    private static Dictionary<string, (string Name, int Received, int Handled)> Groups(JsonElement report) =>
        report.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!,
            g => (g.GetProperty("name").GetString()!, g.GetProperty("received").GetInt32(), g.GetProperty("handled").GetInt32()));

    [Test]
    public async Task ByRecorder_TheStaffWhoRecordedReports_InEachScope()
    {
        var district = Groups(await StatsAsync(dispatcher, "&groupBy=recorder"));
        var inStreet = Groups(await StatsAsync(street, "&groupBy=recorder"));
        var inCommunity = Groups(await StatsAsync(worker乙, "&groupBy=recorder"));

        Assert.Multiple(() =>
        {
            Assert.That(district, Is.EquivalentTo(new Dictionary<string, (string, int, int)>
            {
                [$"{id甲}"] = ("甲（贡院门社区）", 1, 1), [$"{id乙}"] = ("乙（贡院门社区）", 1, 0), [$"{id丁}"] = ("丁（大兴东路社区）", 1, 0),
            }));
            Assert.That(inStreet.Keys, Is.EquivalentTo(new[] { $"{id甲}", $"{id乙}" }), "丁 works in another street");
            Assert.That(inCommunity.Keys, Is.EquivalentTo(new[] { $"{id甲}", $"{id乙}" }));
        });
    }

    [Test]
    public async Task ByHandler_TheStaffWhoResolved_InEachScope()
    {
        var district = Groups(await StatsAsync(dispatcher, "&groupBy=handler"));
        var ofCity = Groups(await StatsAsync(city, "&groupBy=handler"));
        var inCommunity = Groups(await StatsAsync(worker甲, "&groupBy=handler"));

        Assert.Multiple(() =>
        {
            Assert.That(district, Is.EquivalentTo(new Dictionary<string, (string, int, int)>
            {
                [$"{id丙}"] = ("丙（区城管局）", 1, 1), [$"{id甲}"] = ("甲（贡院门社区）", 1, 1),
            }));
            Assert.That(ofCity.Keys, Is.EquivalentTo(new[] { $"{id丙}" }));
            Assert.That(inCommunity.Keys, Is.EquivalentTo(new[] { $"{id甲}" }));
        });
    }

    [Test]
    public async Task TheRollups_AgreeWithARecount()
    {
        Assert.That(await app.Service<StatsStore>().VerifyAsync(Ct), Is.Empty);
    }

    [Test]
    public async Task TheWorkbook_HasASheetOfTheWhistles()
    {
        var response = await dispatcher.GetAsync("/api/staff/stats/export?format=xlsx&from=2026-11-01&to=2026-11-30&groupBy=handler", Ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(Ct));
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        // Kept beside the screenshots, to be opened and printed by a person.
        var saved = Path.Combine(TestContext.CurrentContext.WorkDirectory, "stats-report-whistles-2026-11.xlsx");
        await File.WriteAllBytesAsync(saved, bytes, Ct);
        TestContext.AddTestAttachment(saved);
        using var first = new XlsxFile(bytes);
        using var sheet = new XlsxFile(bytes, first.SheetNames.ToList().IndexOf(StatsExport.WhistleSheet));

        Assert.Multiple(() =>
        {
            Assert.That(first.Text(2, 1), Does.Contain("分组：按办结人员"));
            Assert.That(sheet.Text(1, 1), Does.EndWith("· 吹哨报到"));
            Assert.That(Enumerable.Range(1, 6).Select(c => sheet.Text(3, c)), Is.EqualTo(new[] { "部门", "吹哨件数", "报到件数", "按时报到件数", "报到率", "按时报到率" }));
            Assert.That((sheet.Text(4, 1), sheet.Number(4, 2), sheet.Number(4, 3), sheet.Number(4, 4), sheet.Number(4, 5), sheet.Number(4, 6)),
                Is.EqualTo(("区城管局", 2.0, 2.0, 1.0, 1.0, 0.5)));
            Assert.That((sheet.Text(5, 1), sheet.Number(5, 2), sheet.Number(5, 3), sheet.Number(5, 5)), Is.EqualTo(("区水务局", 1.0, 0.0, 0.0)));
            Assert.That((sheet.Text(6, 1), sheet.Number(6, 2), sheet.Number(6, 3), sheet.Number(6, 4), sheet.Number(6, 5)), Is.EqualTo(("合计", 3.0, 2.0, 1.0, 0.6667)));
            Assert.That((sheet.NumberFormat(4, 5), sheet.NumberFormat(6, 6)), Is.EqualTo(("10", "10")), "Excel's built-in 0.00%");
        });
    }

    [Test]
    public async Task DatabaseOfMigration030_UpgradedAtStart_FindsTheWhistlesAndHandlersInTheTimelines()
    {
        var before = await StatsAsync(dispatcher, "&groupBy=handler");
        await using var upgraded = new LianApiFactory(DayLongTokens, configureServices: s => FakeClock.Use(s, clock));
        await using (var copy = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            await copy.ExecuteAsync("VACUUM INTO @Path", new { Path = upgraded.DatabasePath });
        }
        await using (var old = new SqliteConnection($"Data Source={upgraded.DatabasePath}"))
        {
            await old.ExecuteAsync("""
                ALTER TABLE Complaints DROP COLUMN WhistledDepartmentId;
                ALTER TABLE Complaints DROP COLUMN WhistleReported;
                ALTER TABLE Complaints DROP COLUMN WhistleReportedOnTime;
                ALTER TABLE Complaints DROP COLUMN LastResolvedByStaffId;
                ALTER TABLE StatsRollups DROP COLUMN Whistled;
                ALTER TABLE StatsRollups DROP COLUMN WhistleReported;
                ALTER TABLE StatsRollups DROP COLUMN WhistleReportedOnTime;
                DELETE FROM StatsRollups WHERE Dimension IN ('recorder', 'recorder/m', 'handler', 'handler/m', 'whistle', 'whistle/m');
                DROP TABLE Reports;
                DELETE FROM Leases WHERE Name = 'reports';
                DELETE FROM SchemaVersions WHERE Version >= 31;
                """);
        }
        SqliteConnection.ClearAllPools();

        var center = await upgraded.StaffAsync("wf-upgraded-dispatcher", "dispatcher", null);
        var after = await StatsAsync(center, "&groupBy=handler");

        Assert.Multiple(async () =>
        {
            Assert.That(Whistles(after), Is.EqualTo(new[] { City, Water }));
            Assert.That(Groups(after), Is.EqualTo(Groups(before)));
            Assert.That(after.GetProperty("total").ToString(), Is.EqualTo(before.GetProperty("total").ToString()));
            Assert.That(await upgraded.Service<StatsStore>().VerifyAsync(Ct), Is.Empty);
        });
    }
}
