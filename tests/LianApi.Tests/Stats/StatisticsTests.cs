using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LianApi.Stats;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Stats;

/// <summary>
/// A small district with known outcomes, built through the API on a fake clock, and every measure checked against
/// values computed by hand (the comments say how). The rollups the transitions kept must also equal a recount.
///
/// Monday 2 November 2026, 09:00 Beijing: seven sanitation reports (24 h to accept, 3 working days to resolve), six in
/// 贡院门社区 (北院门街道) and G in 大兴东路社区 (红庙坡街道).
///   A  accepted 10:00, resolved 11:00, rated satisfied → closed.
///   B  accepted 10:00, resolved 11:00, rated not solved → reopened, resolved 11:00 again, rated basically satisfied → closed.
///   C  nobody accepts: auto-escalated to the street on Tuesday, accepted there 10:01 (25 h), resolved at once, never rated → auto-closed.
///   D  escalated to the street and the center at 10:00, dispatched to 城管局, accepted 10:00, returned 11:00, dispatched and
///      accepted again, extension approved to 16 November; resolved Friday 13 November (9 working days after Monday), on time.
///   E  not accepted (不予受理) at 10:00.
///   F  accepted 10:00, never resolved: overdue from Thursday.
///   G  nobody ever accepts: street, then center, then overdue.
/// </summary>
public sealed class StatisticsTests
{
    // Tokens are checked on the fake clock here, so they expire as the fake days pass: the longest lifetimes allowed,
    // and the clients log in again after each jump.
    private static readonly Dictionary<string, string?> DayLongTokens = new()
    {
        ["Jwt:ResidentTokenLifetime"] = "1.00:00:00",
        ["Jwt:StaffTokenLifetime"] = "1.00:00:00",
    };

    private static readonly DateTimeOffset Monday9 = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient dispatcher = null!;
    private HttpClient beiyuanmen = null!;
    private HttpClient gongyuanmen = null!;
    private HttpClient chengguan = null!;
    private JsonElement uncheckedDuringReopen;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task BuildTheDistrict()
    {
        clock = new FakeTimeProvider(Monday9);
        // This fixture's November lives on the fake clock: tokens are checked against it too.
        app = new LianApiFactory(DayLongTokens, configureServices: s => FakeClock.Use(s, clock));
        await app.AddDepartmentsAsync(("chengguan", "区城管局"));
        var resident = await app.LoginAsync("stats-resident");
        dispatcher = await app.StaffAsync("stats-dispatcher", "dispatcher", null);
        beiyuanmen = await app.StaffAsync("stats-street", "street", "beiyuanmen");
        gongyuanmen = await app.StaffAsync("stats-community", "community", "gongyuanmen");
        chengguan = await app.StaffAsync("stats-department", "department", "chengguan");
        wechatCodes[resident] = "stats-resident";
        wechatCodes[dispatcher] = "stats-dispatcher";
        wechatCodes[beiyuanmen] = "stats-street";
        wechatCodes[gongyuanmen] = "stats-community";
        wechatCodes[chengguan] = "stats-department";

        var (a, b, c, d, e, f) = (await File(resident), await File(resident), await File(resident), await File(resident), await File(resident), await File(resident));
        var g = await File(resident, "daxingdonglu");

        clock.Advance(TimeSpan.FromHours(1));   // Monday 10:00
        foreach (var accepted in new[] { a, b, f })
        {
            await Act(gongyuanmen, accepted, "accept");
        }
        await Act(gongyuanmen, e, "reject", new { reason = "不属于受理范围" });
        await Act(gongyuanmen, d, "escalate", new { reason = "需要街道协调" });
        await Act(beiyuanmen, d, "escalate", new { reason = "需要区里派单" });
        await Act(dispatcher, d, "dispatch", new { target = new { level = "department", code = "chengguan" } });
        await Act(chengguan, d, "accept");

        clock.Advance(TimeSpan.FromHours(1));   // Monday 11:00
        await Act(gongyuanmen, a, "resolve", new { reply = "已清理" });
        await Act(gongyuanmen, b, "resolve", new { reply = "已清理" });
        await Rate(resident, a, true, "satisfied");
        await Rate(resident, b, false, "unsatisfied");
        uncheckedDuringReopen = await StatsAsync(dispatcher, "");
        await Act(gongyuanmen, b, "resolve", new { reply = "已再次清理" });
        await Rate(resident, b, true, "basically_satisfied");
        await Act(chengguan, d, "return", new { reason = "不属于本局职责" });
        await Act(dispatcher, d, "dispatch", new { target = new { level = "department", code = "chengguan" } });
        await Act(chengguan, d, "accept");
        await Act(chengguan, d, "request-extension", new { reason = "需要采购", newDueAt = "2026-11-16T11:00:00+08:00" });
        await Act(dispatcher, d, "approve-extension");

        clock.Advance(TimeSpan.FromHours(23) + TimeSpan.FromMinutes(1));   // Tuesday 10:01: C and G were auto-escalated
        await LogInAgainAsync();
        await SweepUntilQuietAsync();
        await Act(beiyuanmen, c, "accept");
        await Act(beiyuanmen, c, "resolve", new { reply = "已处理" });

        clock.Advance(TimeSpan.FromDays(1));    // Wednesday 10:01: G goes on to the center
        await LogInAgainAsync();
        await SweepUntilQuietAsync();
        clock.Advance(TimeSpan.FromDays(1));    // Thursday 10:01: G overdue at the center, F overdue (due 10:00)
        await LogInAgainAsync();
        await SweepUntilQuietAsync();
        clock.Advance(TimeSpan.FromDays(8));    // Friday 13 November 10:01: C auto-closed (7 days unrated)
        await LogInAgainAsync();
        await SweepUntilQuietAsync();
        await Act(chengguan, d, "resolve", new { reply = "已完成" });
    }

    [OneTimeTearDown]
    public async Task StopApp() => await app.DisposeAsync();

    private readonly Dictionary<HttpClient, string> wechatCodes = [];

    /// <summary>
    /// One run moves a case one step (street, then center, then overdue); the app's own background sweep may have done
    /// some steps already during the jump. Either way the end state is the same.
    /// </summary>
    private async Task SweepUntilQuietAsync()
    {
        var sweep = app.Service<LianApi.Complaints.DeadlineSweep>();
        for (var run = 0; run < 5 && await sweep.RunOnceAsync(Ct) != new LianApi.Complaints.DeadlineSweep.Result(0, 0, 0, 0); run++)
        {
        }
    }

    /// <summary>A fresh token for every client after a jump of the clock (a login of a bound user gives a staff token).</summary>
    private async Task LogInAgainAsync()
    {
        foreach (var (client, code) in wechatCodes)
        {
            var response = await client.PostAsJsonAsync("/api/auth/wechat-login", new { code }, Ct);
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
    }

    [Test]
    public async Task District_EveryMeasure_EqualsTheHandCount()
    {
        var total = (await StatsAsync(dispatcher, "")).GetProperty("total");

        Assert.Multiple(() =>
        {
            Assert.That(Int(total, "received"), Is.EqualTo(7));
            Assert.That(Int(total, "handled"), Is.EqualTo(5), "A, B, C closed, D resolved, E not accepted");
            Assert.That(Rate(total, "completionRate"), Is.EqualTo(0.7143), "5 / 7");
            Assert.That(Rate(total, "acceptedOnTimeRate"), Is.EqualTo(0.6667), "A B D F of A B C D F G (C and G missed a response deadline)");
            Assert.That(Rate(total, "resolvedOnTimeRate"), Is.EqualTo(1.0), "A B C D, D within its extension");
            Assert.That(Rate(total, "resolutionRate"), Is.EqualTo(1.0), "A and B's latest ratings say solved");
            Assert.That(Rate(total, "satisfactionRate"), Is.EqualTo(1.0), "satisfied A + basically satisfied B, of 2 rated");
            Assert.That(Rate(total, "satisfiedOnlyRate"), Is.EqualTo(0.5));
            Assert.That(Rate(total, "evaluationRate"), Is.EqualTo(0.5), "2 rated of 4 resolved; C's auto-close is no rating");
            Assert.That(Rate(total, "reopenRate"), Is.EqualTo(0.25), "B of 4 resolved");
            Assert.That(Rate(total, "returnRate"), Is.EqualTo(0.1429), "D of 7");
            Assert.That(Rate(total, "extensionRate"), Is.EqualTo(0.1429), "D of 7");
            Assert.That(Rate(total, "escalationRate"), Is.EqualTo(0.4286), "C, D, G left the community");
            Assert.That(Int(total, "overdueNow"), Is.EqualTo(2), "F and G");
            Assert.That(Int(total, "unsatisfiedPending"), Is.EqualTo(0), "B was resolved again");
            Assert.That(Int(total, "autoClosed"), Is.EqualTo(1), "C");
            Assert.That(Int(total, "rejected"), Is.EqualTo(1), "E");
            Assert.That(Int(total, "medianHoursToAccept"), Is.EqualTo(1), "A B D F after 1 h, C after 25 h");
            Assert.That(Int(total, "p90HoursToAccept"), Is.EqualTo(48), "the 5th of 5 is C, in the 24–48 h bucket");
            Assert.That(Int(total, "medianWorkingDaysToResolve"), Is.EqualTo(0), "A and B the same day, C 1, D 9");
            Assert.That(Int(total, "p90WorkingDaysToResolve"), Is.EqualTo(10), "D's 9 working days, in the 7–10 bucket");
            Assert.That(Int(total.GetProperty("counts"), "mustAccept"), Is.EqualTo(6));
            Assert.That(Int(total.GetProperty("counts"), "resolvedEver"), Is.EqualTo(4));
        });
    }

    [Test]
    public void Reopened_BeforeItIsResolvedAgain_CountsAsUnsatisfiedPending()
    {
        var total = uncheckedDuringReopen.GetProperty("total");

        Assert.Multiple(() =>
        {
            Assert.That(Int(total, "unsatisfiedPending"), Is.EqualTo(1), "B after its first rating");
            Assert.That(Rate(total, "satisfactionRate"), Is.EqualTo(0.5), "A satisfied, B unsatisfied");
            Assert.That(Rate(total, "resolutionRate"), Is.EqualTo(0.5));
        });
    }

    [Test]
    public async Task District_ByUnitCategoryAndPeriod_GroupsAddUp()
    {
        var byCommunity = Groups(await StatsAsync(dispatcher, "?groupBy=community"));
        var byStreet = Groups(await StatsAsync(dispatcher, "?groupBy=street"));
        var byDepartment = Groups(await StatsAsync(dispatcher, "?groupBy=department"));
        var byCategory = Groups(await StatsAsync(dispatcher, "?groupBy=category"));
        var byDay = Groups(await StatsAsync(dispatcher, "?groupBy=day&from=2026-11-01&to=2026-11-30"));
        var byWeek = Groups(await StatsAsync(dispatcher, "?groupBy=week&from=2026-11-01&to=2026-11-30"));
        var byMonth = Groups(await StatsAsync(dispatcher, "?groupBy=month&from=2026-01-01&to=2026-12-31"));

        Assert.Multiple(() =>
        {
            Assert.That(byCommunity.ToDictionary(g => g.Key, g => g.Received), Is.EqualTo(new Dictionary<string, int> { ["gongyuanmen"] = 6, ["daxingdonglu"] = 1 }));
            Assert.That(byCommunity.Select(g => g.Key), Is.EqualTo(new[] { "gongyuanmen", "daxingdonglu" }), "ranked by received");
            Assert.That(byStreet.ToDictionary(g => g.Key, g => g.Received), Is.EqualTo(new Dictionary<string, int> { ["beiyuanmen"] = 6, ["hongmiaopo"] = 1 }));
            Assert.That(byDepartment.ToDictionary(g => g.Key, g => g.Received), Is.EqualTo(new Dictionary<string, int> { ["chengguan"] = 1 }), "only D went to a department");
            Assert.That(byCategory.ToDictionary(g => g.Key, g => g.Received), Is.EqualTo(new Dictionary<string, int> { ["sanitation"] = 7 }));
            Assert.That(byDay.ToDictionary(g => g.Key, g => g.Received), Is.EqualTo(new Dictionary<string, int> { ["2026-11-02"] = 7 }));
            Assert.That(byWeek.ToDictionary(g => g.Key, g => g.Received), Is.EqualTo(new Dictionary<string, int> { ["2026-W45"] = 7 }));
            Assert.That(byMonth.ToDictionary(g => g.Key, g => g.Received), Is.EqualTo(new Dictionary<string, int> { ["2026-11"] = 7 }));
        });
    }

    [Test]
    public async Task Period_WithoutTheCases_CountsNothing()
    {
        var october = (await StatsAsync(dispatcher, "?from=2026-10-01&to=2026-10-31")).GetProperty("total");

        Assert.Multiple(() =>
        {
            Assert.That(Int(october, "received"), Is.EqualTo(0));
            Assert.That(october.GetProperty("completionRate").ValueKind, Is.EqualTo(JsonValueKind.Null), "nothing to divide");
        });
    }

    [Test]
    public async Task Scopes_AreTheInboxScopes()
    {
        var street = await StatsAsync(beiyuanmen, "?groupBy=department");
        var community = await StatsAsync(gongyuanmen, "?groupBy=category");
        var department = await StatsAsync(chengguan, "");
        var narrowed = await StatsAsync(dispatcher, "?level=community&code=daxingdonglu");
        var streetNarrowed = await StatsAsync(beiyuanmen, "?level=community&code=gongyuanmen");
        var outside = await gongyuanmen.GetAsync("/api/staff/stats?level=community&code=daxingdonglu", Ct);
        var otherStreet = await beiyuanmen.GetAsync("/api/staff/stats?level=street&code=hongmiaopo", Ct);

        Assert.Multiple(async () =>
        {
            Assert.That(Int(street.GetProperty("total"), "received"), Is.EqualTo(6));
            Assert.That(street.GetProperty("scope").GetProperty("code").GetString(), Is.EqualTo("beiyuanmen"));
            Assert.That(Groups(street).Single().Key, Is.EqualTo("chengguan"));
            Assert.That(Int(community.GetProperty("total"), "received"), Is.EqualTo(6));
            Assert.That(Int(department.GetProperty("total"), "received"), Is.EqualTo(1));
            Assert.That(Int(department.GetProperty("total"), "handled"), Is.EqualTo(1));
            Assert.That(Int(narrowed.GetProperty("total"), "received"), Is.EqualTo(1));
            Assert.That(Int(streetNarrowed.GetProperty("total"), "received"), Is.EqualTo(6));
            Assert.That((await ProblemAssert.IsProblem(outside, HttpStatusCode.NotFound)).GetProperty("code").GetString(), Is.EqualTo("not_found"));
            Assert.That((await ProblemAssert.IsProblem(otherStreet, HttpStatusCode.NotFound)).GetProperty("code").GetString(), Is.EqualTo("not_found"));
        });
    }

    [Test]
    public async Task BadQueries_AreFieldErrors()
    {
        var backwards = await dispatcher.GetAsync("/api/staff/stats?from=2026-12-01&to=2026-11-01", Ct);
        var unknownGrouping = await dispatcher.GetAsync("/api/staff/stats?groupBy=planet", Ct);
        var notADate = await dispatcher.GetAsync("/api/staff/stats?from=yesterday", Ct);
        var levelWithoutCode = await dispatcher.GetAsync("/api/staff/stats?level=street", Ct);

        Assert.Multiple(async () =>
        {
            Assert.That((await ProblemAssert.IsProblem(backwards, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("to", out _));
            Assert.That((await ProblemAssert.IsProblem(unknownGrouping, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("groupBy", out _));
            Assert.That((await ProblemAssert.IsProblem(notADate, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("from", out _));
            Assert.That((await ProblemAssert.IsProblem(levelWithoutCode, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("code", out _));
        });
    }

    [Test]
    public async Task Residents_GetNoStaffStatistics()
    {
        var resident = await app.LoginAsync("stats-curious-resident");

        var response = await resident.GetAsync("/api/staff/stats", Ct);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task PublicFigures_ThisYearAndAllTime_WithoutAToken()
    {
        var response = await app.CreateClient().GetAsync("/api/stats/public", Ct);
        var figures = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.CacheControl?.Public, Is.True);
            Assert.That(figures.GetProperty("thisYear").GetProperty("period").GetString(), Is.EqualTo("2026"));
            Assert.That(Int(figures.GetProperty("thisYear"), "received"), Is.EqualTo(7));
            Assert.That(Int(figures.GetProperty("allTime"), "handled"), Is.EqualTo(5));
            Assert.That(Rate(figures.GetProperty("allTime"), "completionRate"), Is.EqualTo(0.7143));
            Assert.That(Rate(figures.GetProperty("allTime"), "satisfactionRate"), Is.EqualTo(1.0));
        });
    }

    [Test]
    public async Task Export_Csv_HasABomAndTheSameFigures_Xlsx_IsAWorkbook()
    {
        var csv = await dispatcher.GetAsync("/api/staff/stats/export?groupBy=community", Ct);
        var bytes = await csv.Content.ReadAsByteArrayAsync(Ct);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var xlsx = await dispatcher.GetAsync("/api/staff/stats/export?groupBy=community&format=xlsx", Ct);
        var workbook = await xlsx.Content.ReadAsByteArrayAsync(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(bytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 BOM for Excel");
            Assert.That(lines[0], Does.StartWith("编码,名称,受理量,办结量,办结率"));
            Assert.That(lines[1], Does.StartWith("gongyuanmen,贡院门社区,6,"));
            Assert.That(lines[^1], Does.StartWith("total,莲湖区,7,5,0.7143,"));
            Assert.That(xlsx.Content.Headers.ContentType?.MediaType, Is.EqualTo(StatsExport.XlsxContentType));
            Assert.That(workbook[..2], Is.EqualTo("PK"u8.ToArray()), "an xlsx is a zip");
            Assert.That(xlsx.Content.Headers.ContentDisposition?.FileName, Does.EndWith(".xlsx"));
        });
    }

    [Test]
    public async Task ExportXlsx_IsAReportForPeople_TitledScopedAndDated_RatesAsPercentages_合计_FrozenHead_A4LandscapeOnePageWide()
    {
        var response = await dispatcher.GetAsync("/api/staff/stats/export?groupBy=community&format=xlsx&from=2026-11-01&to=2026-11-30", Ct);
        using var xlsx = new XlsxFile(await response.Content.ReadAsByteArrayAsync(Ct));
        var last = xlsx.RowCount;
        var pane = xlsx.Sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Pane>().Single();
        var page = xlsx.Sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.PageSetup>().Single();
        var titles = xlsx.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.DefinedName>().Single(n => n.Name == "_xlnm.Print_Titles" && n.LocalSheetId?.Value == 0);
        var merged = xlsx.Sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.MergeCell>().Select(m => m.Reference!.Value).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(xlsx.SheetNames, Is.EqualTo(new[] { "统计", StatsExport.ComparisonSheet, StatsExport.CallBackSheet, StatsExport.WhistleSheet }), "the workbook always compares (环比, 同比) and shows the 回访 and 吹哨报到");
            Assert.That(xlsx.Text(1, 1), Is.EqualTo("莲湖区“民呼我行”诉求办理统计 · 莲湖区 · 2026年11月1日至2026年11月30日"));
            Assert.That(xlsx.IsBold(1, 1), Is.True);
            Assert.That(merged, Does.Contain("A1:V1"), "the title spans the table");
            // Generated on the fake clock: Monday 2 November, after the fixture's days.
            Assert.That(xlsx.Text(2, 1), Does.StartWith("生成时间：2026-11-").And.Contain("（北京时间）").And.Contain("分组：按社区"));
            Assert.That(Enumerable.Range(1, 5).Select(c => xlsx.Text(3, c)), Is.EqualTo(new[] { "名称", "受理量", "办结量", "办结率", "及时签收率" }));
            Assert.That(xlsx.Text(4, 1), Is.EqualTo("贡院门社区"));
            Assert.That(xlsx.Number(4, 2), Is.EqualTo(6));
            Assert.That(xlsx.Text(last, 1), Is.EqualTo("合计"), "not \"total\"");
            Assert.That(xlsx.Number(last, 2), Is.EqualTo(7));
            Assert.That(xlsx.Number(last, 3), Is.EqualTo(5));
            // 办结率 5 / 7 as the API gives it (four decimals), shown as 71.43 %.
            Assert.That(xlsx.Number(last, 4), Is.EqualTo(0.7143));
            Assert.That(xlsx.NumberFormat(last, 4), Is.EqualTo("10"), "Excel's built-in 0.00%");
            Assert.That(xlsx.NumberFormat(4, 4), Is.EqualTo("10"));
            Assert.That(xlsx.IsBold(last, 1) && xlsx.IsBold(last, 2), Is.True, "合计 stands out");
            Assert.That(xlsx.ColumnWidth(1), Is.GreaterThanOrEqualTo(12), "贡院门社区 (five characters, two columns each) is not cut");
            Assert.That(xlsx.ColumnWidth(19), Is.GreaterThanOrEqualTo(9));
            Assert.That((pane.VerticalSplit?.Value, pane.HorizontalSplit?.Value, pane.State?.InnerText), Is.EqualTo((3.0, 1.0, "frozen")),
                "the title, note and header rows and the names stay in view");
            Assert.That((page.PaperSize?.Value, page.Orientation?.InnerText, page.FitToWidth?.Value, page.FitToHeight?.Value),
                Is.EqualTo((9u, "landscape", 1u, 0u)), "A4 landscape, one page wide, as many pages long as needed");
            Assert.That(xlsx.Sheet.SheetProperties?.PageSetupProperties?.FitToPage?.Value, Is.True);
            Assert.That(titles.Text, Is.EqualTo("'统计'!$1:$3"), "the head repeats on every printed page");
        });
    }

    [Test]
    public async Task Rollups_KeptByTheTransitions_EqualARecount_AndARebuildChangesNothing()
    {
        var store = app.Service<StatsStore>();
        var before = await StatsAsync(dispatcher, "?groupBy=community");

        var differences = await store.VerifyAsync(Ct);
        await store.RebuildAsync(Ct);
        var afterRebuild = await StatsAsync(dispatcher, "?groupBy=community");

        Assert.Multiple(async () =>
        {
            Assert.That(differences, Is.Empty);
            Assert.That(await store.VerifyAsync(Ct), Is.Empty);
            Assert.That(afterRebuild.ToString(), Is.EqualTo(before.ToString()));
        });
    }

    [Test]
    public void LongPeriods_ReadWholeMonthsFromMonthlyRows_AndTheEdgesFromDays()
    {
        var parts = StatsStore.Parts(new RollupQuery("community", 0, 20260115, 20260410)).ToList();
        var short_ = StatsStore.Parts(new RollupQuery("community", 0, 20261101, 20261130)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(parts, Is.EqualTo(new[]
            {
                new RollupQuery("community", 0, 20260115, 20260131),
                new RollupQuery("community/m", 0, 20260200, 20260300),
                new RollupQuery("community", 0, 20260401, 20260410),
            }));
            Assert.That(short_, Is.EqualTo(new[] { new RollupQuery("community", 0, 20261101, 20261130) }), "a short period reads its days");
        });
    }

    [Test]
    public async Task MonthsAndDays_GiveTheSameFigures()
    {
        // January to November: ten months from monthly rows plus November's days; the same period day by day.
        var mixed = (await StatsAsync(dispatcher, "?from=2026-01-01&to=2026-11-30")).GetProperty("total");
        var byDay = Groups(await StatsAsync(dispatcher, "?from=2026-01-01&to=2026-11-30&groupBy=day"));

        Assert.That(Int(mixed, "received"), Is.EqualTo(byDay.Sum(d => d.Received)).And.EqualTo(7));
    }

    private sealed record Group(string Key, int Received);

    private static List<Group> Groups(JsonElement report) =>
        report.GetProperty("groups").EnumerateArray().Select(g => new Group(g.GetProperty("key").GetString()!, Int(g, "received"))).ToList();

    private static int Int(JsonElement figures, string name) => figures.GetProperty(name).GetInt32();

    private static double Rate(JsonElement figures, string name) => figures.GetProperty(name).GetDouble();

    private static async Task<JsonElement> StatsAsync(HttpClient staff, string query)
    {
        var response = await staff.GetAsync("/api/staff/stats" + query, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<string> File(HttpClient resident, string community = "gongyuanmen")
    {
        var response = await resident.SubmitAsync(Requests.Complaint("垃圾桶满了没人清理，气味很大", community: community, category: "sanitation"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("trackingNo").GetString()!;
    }

    private static async Task Act(HttpClient staff, string trackingNo, string action, object? body = null)
    {
        var response = await staff.ActAsync(trackingNo, action, body);
        Assert.That(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task Rate(HttpClient resident, string trackingNo, bool resolved, string satisfaction)
    {
        var response = await resident.PostAsJsonAsync($"/api/complaints/{trackingNo}/evaluation", new { resolved, satisfaction }, Ct);
        Assert.That(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
