using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Reports;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using UglyToad.PdfPig;

namespace LianApi.Tests.Reports;

/// <summary>
/// The daily report of Monday 7 December 2026, written by the job's run at Tuesday 08:00 on a fake clock, read back from
/// the stored PDF and workbook and checked against a small district counted by hand. All cases are accepted within the hour.
///   7 Dec 2025 (同比): Y 贡院门社区 环境卫生, resolved, rated satisfied.
///   20 Nov 2026: O 贡院门社区 物业管理, accepted, never resolved: the one case overdue on 8 December.
///   6 Dec 2026 (环比): P1 贡院门社区 环境卫生 resolved, rated satisfied; P2 大兴东路社区 物业管理 accepted.
///   7 Dec 2026: A 贡院门 环境卫生 resolved, satisfied; B 贡院门 环境卫生 resolved, rated unsatisfied (reopened);
///               C 大兴东路 环境卫生 accepted; D 大兴东路 环境卫生 escalated and dispatched to 区城管局, accepted there.
/// By hand, 7 Dec against 6 Dec and 7 Dec 2025: 受理量 4 / 2 / 1 (环比 +100 %, 同比 +300 %); 办结量 1 (A) / 1 / 1;
/// 办结率 0.25 / 0.5 / 1 (−25 and −75 points); 及时签收率 1 / 1 / 1; 按时办结率 1 / 1 / 1; 满意率 0.5 (A of A, B) / 1 / 1 (−50, −50).
/// 北院门街道 (贡院门) 2 / 1 / 1, 办结 1; 红庙坡街道 (大兴东路) 2 / 1 / 0, 办结 0; 区城管局 1 / 0 / 0.
/// 热点, 30 days to 7 December against the 30 before (none): 贡院门 环境卫生 3 (P1 A B), 大兴东路 环境卫生 2 (C D),
/// 贡院门 物业管理 1 (O), 大兴东路 物业管理 1 (P2).
/// </summary>
public sealed class DailyReportTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Jwt:ResidentTokenLifetime"] = "1.00:00:00",
        ["Jwt:StaffTokenLifetime"] = "1.00:00:00",
        // The job's own run is the test of DailyReportJobTests; here its body runs at the chosen moment.
        ["Reports:Enabled"] = "false",
    };

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset RunAt = new(2026, 12, 8, 8, 0, 0, Beijing);

    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient dispatcher = null!;
    private string overdueCase = "";
    private byte[] notYetPdf = [];
    private HttpStatusCode notYetStatus;
    private int phase;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task BuildTheDistrictAndRunTheJob()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 7, 9, 0, 0, Beijing));
        app = new LianApiFactory(Settings, configureServices: s => FakeClock.Use(s, clock));
        await app.AddDepartmentsAsync(("chengguan", "区城管局"));

        var (resident, gongyuanmen, _) = await PhaseAsync();
        var y = await FileAsync(resident, "gongyuanmen", "sanitation");
        await At(10, 0);
        await Act(gongyuanmen, y, "accept");
        await Act(gongyuanmen, y, "resolve", new { reply = "已清理" });
        await Rate(resident, y, true, "satisfied");

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 9, 0, 0, Beijing));
        (resident, gongyuanmen, _) = await PhaseAsync();
        overdueCase = await FileAsync(resident, "gongyuanmen", "property");
        await At(10, 0);
        await Act(gongyuanmen, overdueCase, "accept");

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 6, 9, 0, 0, Beijing));
        (resident, gongyuanmen, var daxingdonglu) = await PhaseAsync();
        var p1 = await FileAsync(resident, "gongyuanmen", "sanitation");
        var p2 = await FileAsync(resident, "daxingdonglu", "property");
        await At(10, 0);
        await Act(gongyuanmen, p1, "accept");
        await Act(daxingdonglu, p2, "accept");
        await Act(gongyuanmen, p1, "resolve", new { reply = "已清理" });
        await Rate(resident, p1, true, "satisfied");

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 0, Beijing));
        (resident, gongyuanmen, daxingdonglu) = await PhaseAsync();
        var hongmiaopo = await app.StaffAsync($"report-street-{phase}", "street", "hongmiaopo");
        dispatcher = await app.StaffAsync($"report-dispatcher-{phase}", "dispatcher", null);
        var chengguan = await app.StaffAsync($"report-department-{phase}", "department", "chengguan");
        var (a, b, c, d) = (await FileAsync(resident, "gongyuanmen", "sanitation"), await FileAsync(resident, "gongyuanmen", "sanitation"),
            await FileAsync(resident, "daxingdonglu", "sanitation"), await FileAsync(resident, "daxingdonglu", "sanitation"));
        await At(10, 0);
        await Act(gongyuanmen, a, "accept");
        await Act(gongyuanmen, b, "accept");
        await Act(daxingdonglu, c, "accept");
        await Act(daxingdonglu, d, "escalate", new { reason = "需要街道协调" });
        await Act(hongmiaopo, d, "escalate", new { reason = "需要区里派单" });
        await Act(dispatcher, d, "dispatch", new { target = new { level = "department", code = "chengguan" } });
        await Act(chengguan, d, "accept");
        await At(11, 0);
        await Act(gongyuanmen, a, "resolve", new { reply = "已清理" });
        await Act(gongyuanmen, b, "resolve", new { reply = "已清理" });
        await Rate(resident, a, true, "satisfied");
        await Rate(resident, b, true, "unsatisfied");

        clock.SetUtcNow(RunAt);
        dispatcher = await app.StaffAsync($"report-dispatcher-run", "dispatcher", null);
        var sweep = app.Service<LianApi.Complaints.DeadlineSweep>();
        for (var run = 0; run < 5 && await sweep.RunOnceAsync(Ct) != new LianApi.Complaints.DeadlineSweep.Result(0, 0, 0, 0); run++)
        {
        }
        var notYet = await dispatcher.GetAsync("/api/staff/reports/daily/2026-12-07.pdf", Ct);
        notYetStatus = notYet.StatusCode;
        notYetPdf = await notYet.Content.ReadAsByteArrayAsync(Ct);
        Assert.That(await app.Service<DailyReportService>().RunDueAsync(clock.GetUtcNow().UtcDateTime, Ct), Is.EqualTo(2), "yesterday's and last week's");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        dispatcher.Dispose();
        await app.DisposeAsync();
    }

    /// <summary>Fresh clients after a jump of the clock (tokens are checked on it): a resident and the two communities' staff.</summary>
    private async Task<(HttpClient Resident, HttpClient Gongyuanmen, HttpClient Daxingdonglu)> PhaseAsync()
    {
        phase++;
        return (await app.LoginAsync($"report-resident-{phase}"), await app.StaffAsync($"report-gym-{phase}", "community", "gongyuanmen"),
            await app.StaffAsync($"report-dxdl-{phase}", "community", "daxingdonglu"));
    }

    private Task At(int hour, int minute)
    {
        var now = clock.GetUtcNow().ToOffset(Beijing);
        clock.SetUtcNow(new DateTimeOffset(now.Year, now.Month, now.Day, hour, minute, 0, Beijing));
        return Task.CompletedTask;
    }

    private static async Task<string> FileAsync(HttpClient resident, string community, string category)
    {
        var response = await resident.SubmitAsync(Requests.Complaint("垃圾桶满了没人清理，气味很大", community: community, category: category));
        Assert.That(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
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

    private async Task<byte[]> FileOfAsync(string path)
    {
        var response = await dispatcher.GetAsync(path, Ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(Ct));
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        // Kept beside the test output, to be opened, printed and looked at by a person.
        var saved = Path.Combine(TestContext.CurrentContext.WorkDirectory, "report-" + path.Split('/')[^2] + "-" + path.Split('/')[^1]);
        await File.WriteAllBytesAsync(saved, bytes, Ct);
        TestContext.AddTestAttachment(saved);
        return bytes;
    }

    [Test]
    public void BeforeTheRun_TheReportIsNotFound_WithAChineseProblem()
    {
        var problem = JsonDocument.Parse(notYetPdf).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(notYetStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("莲湖区“民呼我行”诉求办理日报 · 2026年12月7日尚未生成"));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("not_found"));
        });
    }

    [Test]
    public async Task Workbook_Summary_EveryHeadlineFigure_EqualsTheHandCount_With环比And同比()
    {
        using var xlsx = new XlsxFile(await FileOfAsync("/api/staff/reports/daily/2026-12-07.xlsx"), sheet: 0);
        double[] Row(int row, int columns) => Enumerable.Range(2, columns).Select(c => xlsx.Number(row, c)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(xlsx.SheetNames, Is.EqualTo(new[] { "概况", "街道", "部门", "超期件", "热点" }));
            Assert.That(xlsx.Text(1, 1), Is.EqualTo("莲湖区“民呼我行”诉求办理日报 · 2026年12月7日"));
            Assert.That(xlsx.Text(2, 1), Does.StartWith("统计周期：2026年12月7日　上期（环比）：2026年12月6日　去年同期（同比）：2025年12月7日　生成时间：2026-12-08 08:00（北京时间）"));
            Assert.That(Enumerable.Range(1, 6).Select(c => xlsx.Text(3, c)), Is.EqualTo(new[] { "指标", "本期", "上期", "环比", "去年同期", "同比" }));
            Assert.That(Enumerable.Range(4, 7).Select(r => xlsx.Text(r, 1)), Is.EqualTo(new[] { "受理量", "办结量", "办结率", "及时签收率", "按时办结率", "满意率", "当前超期件" }));
            Assert.That(Row(4, 5), Is.EqualTo(new[] { 4, 2, 1.0, 1, 3.0 }), "受理量 4 against 2 (+100 %) and 1 (+300 %)");
            Assert.That(Row(5, 5), Is.EqualTo(new[] { 1, 1, 0.0, 1, 0.0 }), "办结量: A; P1; Y");
            Assert.That(Row(6, 5), Is.EqualTo(new[] { 0.25, 0.5, -25, 1, -75 }), "办结率 1/4 against 1/2 and 1/1, in points");
            Assert.That(Row(7, 5), Is.EqualTo(new[] { 1, 1, 0.0, 1, 0.0 }), "every case accepted within the hour");
            Assert.That(Row(8, 5), Is.EqualTo(new[] { 1, 1, 0.0, 1, 0.0 }), "A, P1 and Y resolved on time");
            Assert.That(Row(9, 5), Is.EqualTo(new[] { 0.5, 1, -50, 1, -50 }), "满意率: A of A and B");
            Assert.That(xlsx.Number(10, 2), Is.EqualTo(1), "O is overdue");
            Assert.That(xlsx.NumberFormat(4, 4), Is.EqualTo("10"), "a count's change is a percentage (0.00%)");
            Assert.That(xlsx.NumberFormat(6, 2), Is.EqualTo("10"), "a rate is a percentage");
            Assert.That(xlsx.NumberFormat(6, 4), Is.EqualTo(DailyReportXlsx.PointsFormat), "a rate's change is in points");
            Assert.That(xlsx.IsBold(1, 1), Is.True);
            Assert.That(xlsx.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.DefinedName>().Select(n => n.Text),
                Is.EquivalentTo(new[] { "'概况'!$1:$3", "'街道'!$1:$3", "'部门'!$1:$3", "'超期件'!$1:$3", "'热点'!$1:$3" }), "head rows repeat on every printed page");
            Assert.That(xlsx.Sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.PageSetup>().Single().Orientation!.Value,
                Is.EqualTo(DocumentFormat.OpenXml.Spreadsheet.OrientationValues.Landscape));
        });
    }

    [Test]
    public async Task Workbook_ByStreetAndDepartment_EqualTheHandCount()
    {
        var bytes = await FileOfAsync("/api/staff/reports/daily/2026-12-07.xlsx");
        using var streets = new XlsxFile(bytes, sheet: 1);
        using var departments = new XlsxFile(bytes, sheet: 2);
        // An empty cell is written without a value, in its place.
        double? N(XlsxFile x, int row, int column) => x.CellAt(row, column).CellValue is { } v ? double.Parse(v.Text, System.Globalization.CultureInfo.InvariantCulture) : null;
        double?[] Row(XlsxFile x, int row) => Enumerable.Range(2, 11).Select(c => N(x, row, c)).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(streets.Text(1, 1), Is.EqualTo("莲湖区“民呼我行”诉求办理日报 · 2026年12月7日 · 各街道"));
            Assert.That(Enumerable.Range(1, 12).Select(c => streets.Text(3, c)), Is.EqualTo(new[]
                { "街道", "受理量", "上期", "环比", "去年同期", "同比", "办结量", "办结率", "及时签收率", "按时办结率", "满意率", "当前超期" }));
            Assert.That(Enumerable.Range(4, 3).Select(r => streets.Text(r, 1)), Is.EqualTo(new[] { "北院门街道", "红庙坡街道", "合计" }));
            Assert.That(Row(streets, 4), Is.EqualTo(new double?[] { 2, 1, 1.0, 1, 1.0, 1, 0.5, 1, 1, 0.5, 0 }), "A B; P1; Y");
            Assert.That(Row(streets, 5), Is.EqualTo(new double?[] { 2, 1, 1.0, 0, null, 0, 0, 1, null, null, 0 }), "C D; P2; none a year before, so no 同比");
            Assert.That(Row(streets, 6), Is.EqualTo(new double?[] { 4, 2, 1.0, 1, 3.0, 1, 0.25, 1, 1, 0.5, 0 }));
            Assert.That(streets.IsBold(6, 1), Is.True, "合计 in bold");
            Assert.That(streets.NumberFormat(4, 8), Is.EqualTo("10"), "办结率 as 0.00%");
            Assert.That(departments.Text(4, 1), Is.EqualTo("区城管局"));
            Assert.That(Row(departments, 4), Is.EqualTo(new double?[] { 1, 0, null, 0, null, 0, 0, 1, null, null, 0 }), "D");
            Assert.That(departments.RowCount, Is.EqualTo(4), "no 合计: a case never dispatched is in no department");
        });
    }

    [Test]
    public async Task Workbook_OverdueAndRising_EqualTheHandCount()
    {
        var bytes = await FileOfAsync("/api/staff/reports/daily/2026-12-07.xlsx");
        using var overdue = new XlsxFile(bytes, sheet: 3);
        using var rising = new XlsxFile(bytes, sheet: 4);
        var o = app.Case(overdueCase);
        var days = (int)Math.Ceiling((RunAt.UtcDateTime - o.DueAt!.Value).TotalDays);
        var pairs = Enumerable.Range(4, rising.RowCount - 3).Select(r => (rising.Text(r, 1), rising.Text(r, 2), rising.Number(r, 3), rising.Number(r, 4), rising.Number(r, 5))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(Enumerable.Range(1, 7).Select(c => overdue.Text(4, c)), Is.EqualTo(new[]
            {
                overdueCase, "贡院门社区", "物业管理", "贡院门社区", "2026-11-20 09:00",
                LianApi.Shared.ChinaTime.ToChina(o.DueAt.Value).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                days.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
            Assert.That(days, Is.InRange(10, 14), "resolution due in the week of 20 November, reported on 8 December");
            Assert.That(overdue.Text(5, 1), Is.EqualTo("共 1 件"));
            Assert.That(rising.Text(2, 1), Does.StartWith("近30日（2026年11月8日至2026年12月7日）较前30日（2026年10月9日至2026年11月7日）"));
            Assert.That(pairs.Take(2), Is.EqualTo(new[] { ("贡院门社区", "环境卫生", 3.0, 0.0, 3.0), ("大兴东路社区", "环境卫生", 2.0, 0.0, 2.0) }));
            Assert.That(pairs.Skip(2), Is.EquivalentTo(new[] { ("贡院门社区", "物业管理", 1.0, 0.0, 1.0), ("大兴东路社区", "物业管理", 1.0, 0.0, 1.0) }));
        });
    }

    [Test]
    public async Task Pdf_A4Landscape_SaysTheSameFigures_AndNumbersItsPages()
    {
        var bytes = await FileOfAsync("/api/staff/reports/daily/2026-12-07.pdf");
        using var pdf = PdfDocument.Open(bytes);
        var pages = pdf.GetPages().Select(p => (p.Width, p.Height, Text: string.Concat(p.Text.Where(c => !char.IsWhiteSpace(c))))).ToList();
        var text = string.Concat(pages.Select(p => p.Text));

        Assert.Multiple(() =>
        {
            Assert.That(pages.Select(p => (Math.Round(p.Width), Math.Round(p.Height))), Is.All.EqualTo((842.0, 595.0)), "A4 landscape in points");
            Assert.That(pages.Select((p, i) => p.Text.Contains($"第{i + 1}页，共{pages.Count}页", StringComparison.Ordinal)), Is.All.True);
            Assert.That(text, Does.Contain("莲湖区“民呼我行”诉求办理日报·2026年12月7日"));
            Assert.That(text, Does.Contain("生成时间：2026-12-0808:00（北京时间）"));
            Assert.That(text, Does.Contain("受理量42+100.00%1+300.00%"), "本期, 上期, 环比, 去年同期, 同比");
            Assert.That(text, Does.Contain("办结率25.00%50.00%-25.00个百分点100.00%-75.00个百分点"));
            Assert.That(text, Does.Contain("满意率50.00%100.00%-50.00个百分点100.00%-50.00个百分点"));
            Assert.That(text, Does.Contain("当前超期件1————"));
            Assert.That(text, Does.Contain("北院门街道21+100.00%1+100.00%150.00%100.00%100.00%50.00%0"));
            Assert.That(text, Does.Contain("红庙坡街道21+100.00%0—00.00%100.00%——0"));
            Assert.That(text, Does.Contain("合计42+100.00%1+300.00%125.00%100.00%100.00%50.00%0"));
            Assert.That(text, Does.Contain("区城管局10—0—00.00%100.00%——0"));
            Assert.That(text, Does.Contain(overdueCase + "贡院门社区物业管理贡院门社区2026-11-2009:00"));
            Assert.That(text, Does.Contain("贡院门社区环境卫生30+3大兴东路社区环境卫生20+2"));
            Assert.That(text, Does.Contain("贡院门社区物业管理10+1"));
        });
    }

    [Test]
    public void Pdf_ManyOverdueCases_RunOverPages_ListTheFirst200_AndSayHowManyMore()
    {
        var figures = LianApi.Stats.StatsFigures.From("total", "合计", new int[LianApi.Stats.CaseCounters.Count]);
        var due = new DateTime(2026, 11, 1, 1, 0, 0, DateTimeKind.Utc);
        var overdue = Enumerable.Range(1, 250).Select(i => new OverdueCase($"LH20261101-{i:D4}", "贡院门社区", "物业管理", "区住房和城乡建设局（房屋管理）",
            due.AddHours(-24), due, 37)).ToList();
        var day = new DateOnly(2026, 12, 7);
        var report = new DailyReport(ReportKinds.Daily, day, day, ReportKinds.Title(ReportKinds.Daily, day, day), RunAt.UtcDateTime,
            new ReportPeriods(day, day, day.AddDays(-1), day.AddDays(-1), day.AddYears(-1), day.AddYears(-1)),
            [new("受理量", false, 0, 0, 0)], new UnitRow("total", "合计", figures, 0, 0), [], [], overdue, false,
            day.AddDays(-29), day, day.AddDays(-59), day.AddDays(-30), []);

        using var pdf = PdfDocument.Open(DailyReportPdf.Render(report));
        var pages = pdf.GetPages().Select(p => string.Concat(p.Text.Where(c => !char.IsWhiteSpace(c)))).ToList();
        var all = string.Concat(pages);

        Assert.Multiple(() =>
        {
            Assert.That(pages, Has.Count.InRange(6, 9), "about 30 lines a page");
            Assert.That(pages.Select((p, i) => p.Contains($"第{i + 1}页，共{pages.Count}页", StringComparison.Ordinal)), Is.All.True);
            Assert.That(pages.Skip(1).SkipLast(1), Is.All.Contains("编号社区类别承办单位受理时间办理时限超期天数"), "the header on every page of the table");
            Assert.That(all, Does.Contain("LH20261101-0200").And.Not.Contain("LH20261101-0201"));
            Assert.That(all, Does.Contain("另有50件，见Excel的“超期件”表。"));
            Assert.That(all, Does.Contain("区住房和城乡建设局（房屋管理）"), "a long unit's name is shrunk to its column, not cut");
        });
    }

    [Test]
    public async Task Weekly_IsLastIsoWeek_TitledWithItsNumber()
    {
        using var xlsx = new XlsxFile(await FileOfAsync("/api/staff/reports/weekly/2026-12-02.xlsx"), sheet: 0);

        Assert.Multiple(() =>
        {
            Assert.That(xlsx.Text(1, 1), Is.EqualTo("莲湖区“民呼我行”诉求办理周报 · 2026年第49周（11月30日至12月6日）"));
            Assert.That(xlsx.Text(2, 1), Does.StartWith("统计周期：2026年11月30日至2026年12月6日　上期（环比）：2026年11月23日至2026年11月29日　去年同期（同比）：2025年11月30日至2025年12月6日"));
            Assert.That(xlsx.Number(4, 2), Is.EqualTo(2), "P1 and P2");
            Assert.That(xlsx.Number(4, 3), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task List_GivesEveryKeptReport_WithItsLinks()
    {
        var list = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/reports", Ct);
        var items = list.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("from").GetString(),
            i.GetProperty("to").GetString(), i.GetProperty("pdfUrl").GetString())).ToList();

        Assert.That(items, Is.EqualTo(new[]
        {
            ("daily", "2026-12-07", "2026-12-07", "/api/staff/reports/daily/2026-12-07.pdf"),
            ("weekly", "2026-11-30", "2026-12-06", "/api/staff/reports/weekly/2026-11-30.pdf"),
        }));
    }

    [Test]
    public async Task TheJob_RunAgain_DoesNotRegenerateAKeptPeriod()
    {
        var before = await app.Service<DailyReportStore>().ListAsync(null, Ct);
        clock.Advance(TimeSpan.FromHours(1));

        var written = await app.Service<DailyReportService>().RunDueAsync(clock.GetUtcNow().UtcDateTime, Ct);

        Assert.That(written, Is.Zero);
        Assert.That(await app.Service<DailyReportStore>().ListAsync(null, Ct), Is.EqualTo(before), "the same rows, generated at 08:00");
    }

    [TestCase("street", "hongmiaopo")]
    [TestCase("community", "gongyuanmen")]
    [TestCase("department", "chengguan")]
    public async Task OtherRoles_AreRefused_WithAChineseProblem(string role, string unit)
    {
        using var staff = await app.StaffAsync($"report-refused-{role}", role, unit);

        foreach (var path in new[] { "/api/staff/reports", "/api/staff/reports/daily/2026-12-07.pdf" })
        {
            var response = await staff.GetAsync(path, Ct);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
                Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("forbidden"));
                Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("只对区调度中心和管理员开放"));
            });
        }
    }

    [TestCase("/api/staff/reports/monthly/2026-12-07.pdf", "kind")]
    [TestCase("/api/staff/reports/daily/2026-13-07.pdf", "date")]
    [TestCase("/api/staff/reports/daily/0001-01-01.pdf", "date")]
    [TestCase("/api/staff/reports/daily/2026-12-07.docx", "format")]
    [TestCase("/api/staff/reports?kind=yearly", "kind")]
    public async Task BadInput_IsAChineseValidationProblem(string path, string field)
    {
        var response = await dispatcher.GetAsync(path, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem.GetProperty("errors").GetProperty(field)[0].GetString(), Does.Match("[\u4e00-\u9fff]"));
        });
    }
}
