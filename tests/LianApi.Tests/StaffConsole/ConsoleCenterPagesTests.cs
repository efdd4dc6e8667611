using System.Net;
using System.Net.Http.Json;
using LianApi.Complaints;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// The pages beyond the inbox through the real app, on one app whose clock has moved past a rating window: a case of
/// 贡院门 resolved and never rated (so it waits for the center's call-back), and an open case of 大兴东路. Each page shows
/// what its API shows, to whom the API shows it.
/// </summary>
public sealed class ConsoleCenterPagesTests
{
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private string unrated = "";
    private string otherCommunity = "";

    [OneTimeSetUp]
    public async Task StartApp()
    {
        // The clock starts in the past so that the binding codes made on the system clock are still good when it has moved on.
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow - ComplaintMachine.EvaluationWindow - TimeSpan.FromDays(1));
        app = new LianApiFactory(configureTestServices: s => FakeClock.Use(s, clock));
        var resident = await app.LoginAsync("center-resident");
        var community = await app.StaffAsync("center-gongyuanmen-early", StaffRoles.Community, "gongyuanmen");
        unrated = await resident.FileAsync();
        (await community.ActAsync(unrated, ComplaintActions.Accept)).EnsureSuccessStatusCode();
        (await community.ActAsync(unrated, ComplaintActions.Resolve, new { reply = "已修好" })).EnsureSuccessStatusCode();
        clock.Advance(ComplaintMachine.EvaluationWindow + TimeSpan.FromHours(1));
        await app.Service<DeadlineSweep>().RunOnceAsync(CancellationToken.None);
        var other = await app.LoginAsync("center-resident-daxing");
        var filed = await other.SubmitAsync(new
        {
            communityCode = "daxingdonglu", categoryCode = "sanitation", description = "大兴东路井盖松动，车过响声很大",
            location = new { latitude = 34.2791, longitude = 108.9285 },
        });
        filed.EnsureSuccessStatusCode();
        otherCommunity = (await filed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    [OneTimeTearDown]
    public async Task StopApp() => await app.DisposeAsync();

    private async Task<ConsoleBrowser> LogInAsync(string code, string role, string? unit, string name)
    {
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(await app.StaffAsync(code, role, unit, name: name));
        return browser;
    }

    [Test]
    public async Task CallBacks_ListsTheUnratedCase_AndTheCentersAnswerByPhoneTakesItOff()
    {
        var center = await LogInAsync("center-dispatcher-1", StaffRoles.Dispatcher, null, "调度员周");

        var page = await center.GetAsync("/console/call-backs");
        var queue = center.LastHtml;
        await center.GetAsync($"/console/cases/{unrated}/act/{ComplaintActions.EvaluateByPhone}");
        var answered = await center.SubmitAsync(center.LastHtml, "action-form", $"/console/cases/{unrated}/act/{ComplaintActions.EvaluateByPhone}",
            ("Form.Resolved", "true"), ("Form.Satisfaction", Satisfaction.BasicallySatisfied), ("Form.Comment", "电话里说修好了"));
        await center.GetAsync("/console/call-backs");

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(queue, Does.Contain($"data-tracking-no=\"{unrated}\"").And.Contain("居民未评价"));
            Assert.That(queue, Does.Contain($"href=\"/console/cases/{unrated}/act/{ComplaintActions.EvaluateByPhone}\""));
            Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the API's evaluate-by-phone accepted the form");
            Assert.That(center.LastHtml, Does.Not.Contain($"data-tracking-no=\"{unrated}\""), "called back: off the queue");
        });
    }

    [Test]
    public async Task CallBacks_ForACommunityWorker_IsTheApisRefusal()
    {
        var worker = await LogInAsync("center-gongyuanmen-1", StaffRoles.Community, "gongyuanmen", "社工甲");

        var page = await worker.GetAsync("/console/call-backs");

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(worker.LastHtml, Does.Contain(LianApi.Resources.Messages.CallBacksForCenter).And.Not.Contain(unrated));
        });
    }

    // The figure in the page's total line after 受理: the page's own words, so this reads what a person reads.
    private static int ReceivedOnPage(string html) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(html, "id=\"stats-total\"[^>]*>[^<]*受理 <b>(\\d+)</b>").Groups[1].Value);

    private static async Task<int> ReceivedByApi(HttpClient staff) =>
        (await staff.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/staff/stats")).GetProperty("total").GetProperty("received").GetInt32();

    [Test]
    public async Task Stats_ShowTheApisFigures_ForEachScope_WithChartsAndExports()
    {
        var dispatcherApi = await app.StaffAsync("center-dispatcher-2", StaffRoles.Dispatcher, null, name: "调度员吴");
        var workerApi = await app.StaffAsync("center-gongyuanmen-2", StaffRoles.Community, "gongyuanmen", name: "社工乙");
        var center = new ConsoleBrowser(app);
        await center.LogInAsync(dispatcherApi);
        var worker = new ConsoleBrowser(app);
        await worker.LogInAsync(workerApi);

        var centerPage = await center.GetAsync("/console/stats?sort=completion");
        var centerHtml = center.LastHtml;
        var workerPage = await worker.GetAsync("/console/stats");
        var workerHtml = worker.LastHtml;
        var export = await center.GetAsync("/console/data/stats/export?groupBy=street&format=csv");
        var exportBytes = await export.Content.ReadAsByteArrayAsync();
        var badDay = await center.GetAsync("/console/stats?from=2026-13-01");

        Assert.Multiple(async () =>
        {
            Assert.That(centerPage.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReceivedOnPage(centerHtml), Is.EqualTo(await ReceivedByApi(dispatcherApi)).And.GreaterThanOrEqualTo(2));
            Assert.That(centerHtml, Does.Contain("id=\"ranking-street\"").And.Contain("id=\"ranking-department\"")
                .And.Contain("id=\"ranking-category\"").And.Contain("id=\"ranking-month\""));
            Assert.That(centerHtml, Does.Contain("data-chart=").And.Contain("/lib/echarts/6.1.0/echarts.min.js"));
            Assert.That(centerHtml, Does.Contain("/console/data/stats/export?groupBy=street&amp;sort=completion&amp;format=csv"));
            Assert.That(workerPage.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ReceivedOnPage(workerHtml), Is.EqualTo(await ReceivedByApi(workerApi)).And.LessThan(ReceivedOnPage(centerHtml)),
                "a community worker's figures are their community's, as the API counts them");
            Assert.That(export.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(export.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(exportBytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with BOM, as the API exports it");
            Assert.That(badDay.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(center.LastHtml, Does.Contain("请检查下面标出的内容").And.Contain("data-field=\"from\""));
            Assert.That(centerHtml, Does.Contain("id=\"stats-compare\"").And.Contain("受理量环比"), "环比 and 同比 under the totals");
            Assert.That(centerHtml, Does.Contain("id=\"hotspots\"").And.Contain("热点"), "the meeting agenda for the center");
            Assert.That(workerHtml, Does.Contain("id=\"hotspots\""), "and for a community");
        });
    }

    [Test]
    public async Task Map_DrawsTheScopesCasesOnly_WithTheirStoredPoints()
    {
        var center = await LogInAsync("center-dispatcher-3", StaffRoles.Dispatcher, null, "调度员郑");
        var worker = await LogInAsync("center-gongyuanmen-3", StaffRoles.Community, "gongyuanmen", "社工丙");

        var centerMap = await center.GetAsync("/console/map");
        var centerHtml = center.LastHtml;
        var filtered = await center.GetAsync("/console/map?community=gongyuanmen");
        var filteredHtml = center.LastHtml;
        var workerMap = await worker.GetAsync("/console/map");
        var workerHtml = worker.LastHtml;

        Assert.Multiple(() =>
        {
            Assert.That(centerMap.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(centerHtml, Does.Contain(otherCommunity).And.Contain("34.2791").And.Contain("108.9285"),
                "the located case, as stored (no tile layer configured: nothing to convert for)");
            Assert.That(centerHtml, Does.Contain("data-community=\"daxingdonglu\"").And.Contain("id=\"no-tiles\""));
            Assert.That(filteredHtml, Does.Not.Contain(otherCommunity), "filtered like the inbox");
            Assert.That(workerMap.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(workerHtml, Does.Not.Contain(otherCommunity).And.Not.Contain("34.2791").And.Not.Contain("data-community=\"daxingdonglu\""),
                "another community's case is not on a community worker's map");
        });
    }

    [Test]
    public async Task InboxExport_IsTheFilteredScope_AsCsvWithBom_PhonesMasked()
    {
        var center = await LogInAsync("center-dispatcher-4", StaffRoles.Dispatcher, null, "调度员冯");
        var worker = await LogInAsync("center-gongyuanmen-4", StaffRoles.Community, "gongyuanmen", "社工丁");

        await center.GetAsync("/console/cases?status=closed");
        var listHtml = center.LastHtml;
        var all = await center.GetAsync("/console/data/cases.csv");
        var allBytes = await all.Content.ReadAsByteArrayAsync();
        var allCsv = center.LastHtml;
        await center.GetAsync("/console/data/cases.csv?status=closed");
        var closedCsv = center.LastHtml;
        await worker.GetAsync("/console/data/cases.csv");
        var workerCsv = worker.LastHtml;
        var workbook = await center.GetAsync("/console/data/cases.xlsx?status=closed&format=xlsx");
        using var xlsx = new XlsxFile(await workbook.Content.ReadAsByteArrayAsync());
        var listed = Enumerable.Range(4, xlsx.RowCount - 4).Select(r => xlsx.Text(r, 1)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(listHtml, Does.Contain("href=\"/console/data/cases.csv?status=closed\""), "the list's export carries its filters");
            Assert.That(listHtml, Does.Contain("href=\"/console/data/cases.xlsx?status=closed&amp;format=xlsx\""), "and so does its printable list");
            Assert.That(xlsx.Text(1, 1), Does.StartWith("莲湖区“民呼我行”诉求办理案件清单 · 莲湖区 · "));
            Assert.That(listed, Does.Contain(unrated).And.Not.Contain(otherCommunity), "the API's case list with the session's staff member");
            Assert.That(all.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(all.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(allBytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(allCsv, Does.Contain(unrated).And.Contain(otherCommunity).And.Contain("编号,受理时间"));
            Assert.That(allCsv, Does.Not.Contain("13812345678").And.Contain("138****5678"), "phones as the inbox masks them");
            Assert.That(closedCsv, Does.Contain(unrated).And.Not.Contain(otherCommunity), "the same filters");
            Assert.That(workerCsv, Does.Contain(unrated).And.Not.Contain(otherCommunity), "the same scope");
        });
    }

    [Test]
    public async Task WorkOrder_PrintsTheCase_AndIsTheSame404OutsideTheScope()
    {
        var center = await LogInAsync("center-dispatcher-5", StaffRoles.Dispatcher, null, "调度员褚");
        var worker = await LogInAsync("center-gongyuanmen-5", StaffRoles.Community, "gongyuanmen", "社工戊");

        var printed = await center.GetAsync($"/console/cases/{otherCommunity}/print");
        var html = center.LastHtml;
        var outside = await worker.GetAsync($"/console/cases/{otherCommunity}/print");

        Assert.Multiple(() =>
        {
            Assert.That(printed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("派工单").And.Contain(otherCommunity).And.Contain("大兴东路井盖松动").And.Contain("调度员褚"));
            Assert.That(html, Does.Not.Contain("<header class=\"top\""), "a sheet of paper, without the console's navigation");
            Assert.That(outside.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(worker.LastHtml, Does.Not.Contain("大兴东路井盖松动"));
        });
    }

    [Test]
    public async Task Admin_ShowsAccountsWithBinding_AndTheOrg_ToAdminsOnly()
    {
        var admin = await LogInAsync("center-admin-1", StaffRoles.Admin, null, "管理员陈");
        var center = await LogInAsync("center-dispatcher-6", StaffRoles.Dispatcher, null, "调度员卫");
        var unbound = await app.Service<StaffStore>().ListAsync(CancellationToken.None);

        var page = await admin.GetAsync("/console/admin");
        var html = admin.LastHtml;
        var refused = await center.GetAsync("/console/admin");

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("管理员陈").And.Contain("调度员卫").And.Contain("已绑定"));
            Assert.That(html, Does.Contain("data-community=\"gongyuanmen\"").And.Contain("data-community=\"daxingdonglu\"").And.Contain("id=\"binding-sheets\""));
            Assert.That(unbound.Count(s => s.UserId is null) == 0 || html.Contains("未绑定"), Is.True);
            // A community without grids says 0, not an empty cell.
            Assert.That(html, Does.Match("data-community=\"gongyuanmen\">\\s*<td>gongyuanmen</td><td>[^<]+</td><td>[^<]+</td><td>\\d+</td>"));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(center.LastHtml, Does.Not.Contain("调度员卫</td>"), "no account list for a dispatcher");
        });
    }

    [Test]
    public async Task BindingSheet_IsTheAdminsOnly_AndSaysSoWhenNoUnboundAccountIsTicked()
    {
        var admin = await LogInAsync("center-admin-2", StaffRoles.Admin, null, "管理员蒋");
        var center = await LogInAsync("center-dispatcher-7", StaffRoles.Dispatcher, null, "调度员韩");
        var bound = (await app.Service<StaffStore>().ListAsync(CancellationToken.None)).Single(s => s.Name == "调度员韩");

        await center.GetAsync("/console");
        var refused = await center.SubmitAsync(center.LastHtml, "logout-form", "/console/admin/binding-sheet", ("staffId", bound.Id.ToString()));
        await admin.GetAsync("/console/admin");
        var nothingToPrint = await admin.SubmitAsync(admin.LastHtml, "binding-sheet-form", "/console/admin/binding-sheet", ("staffId", bound.Id.ToString()));
        await admin.GetAsync(nothingToPrint.Headers.Location!.OriginalString);

        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(nothingToPrint.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "a bound account gets no new code: it would be unbound");
            Assert.That(nothingToPrint.Headers.Location!.OriginalString, Is.EqualTo("/console/admin?sheet=none"));
            Assert.That(admin.LastHtml, Does.Contain("id=\"binding-sheet-problem\"").And.Contain("没有可发码的账号"));
            Assert.That((await app.Service<StaffStore>().ListAsync(CancellationToken.None)).Single(s => s.Id == bound.Id).UserId, Is.EqualTo(bound.UserId));
        });
    }
}
