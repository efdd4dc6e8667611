using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LianApi.Complaints;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Staff;

/// <summary>
/// 案件清单 through the real pipeline on a fake clock: Monday 2 November 2026 09:00 Beijing, three sanitation reports in
/// 贡院门社区 (A and B accepted at 10:00, C left) and D in 枣园西路社区; a week later A and B are past their resolution deadline.
/// </summary>
public sealed class CaseListExportTests
{
    private static readonly Dictionary<string, string?> DayLongTokens = new()
    {
        ["Jwt:ResidentTokenLifetime"] = "1.00:00:00",
        ["Jwt:StaffTokenLifetime"] = "1.00:00:00",
    };

    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient community = null!;
    private HttpClient dispatcher = null!;
    private string a = "", b = "", c = "", d = "";

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task FileCases()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        app = new LianApiFactory(DayLongTokens, configureServices: s => FakeClock.Use(s, clock));
        (await app.StaffAsync("list-community", "community", "gongyuanmen", name: "贡院门社工")).Dispose();
        (await app.StaffAsync("list-dispatcher", "dispatcher", null)).Dispose();
        using (var resident = await app.LoginAsync("list-resident"))
        {
            a = await File(resident, "gongyuanmen");
            b = await File(resident, "gongyuanmen");
            c = await File(resident, "gongyuanmen");
            d = await File(resident, "zaoyuanxilu");
        }
        clock.Advance(TimeSpan.FromHours(1));
        using (var staff = await app.LoginAsync("list-community"))
        {
            await staff.ActAsync(a, "accept");
            await staff.ActAsync(b, "accept");
        }
        // Monday 9 November 10:00: A and B missed their resolution deadline (three working days).
        clock.Advance(TimeSpan.FromDays(7));
        await app.Service<DeadlineSweep>().RunOnceAsync(Ct);
        community = await app.LoginAsync("list-community");
        dispatcher = await app.LoginAsync("list-dispatcher");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        community.Dispose();
        dispatcher.Dispose();
        await app.DisposeAsync();
    }

    private static async Task<string> File(HttpClient resident, string communityCode)
    {
        var response = await resident.SubmitAsync(Requests.Complaint("楼道灯坏了，晚上看不见台阶", communityCode, "sanitation", "13812345678"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    [Test]
    public async Task Csv_ListsTheCallersScopeInTheInboxOrder_WithPhonesMasked()
    {
        var response = await community.GetAsync("/api/staff/complaints/export", Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var inbox = await community.GetFromJsonAsync<JsonElement>("/api/staff/complaints?limit=50", Ct);
        var inboxOrder = inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
            Assert.That(response.Content.Headers.ContentDisposition?.FileName, Is.EqualTo("cases-20261109-1000.csv"));
            Assert.That(bytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(lines[0], Is.EqualTo("编号,社区,网格,类别,摘要,承办单位,受理时间,办理时限,状态,超期天数,评价,联系电话,渠道"));
            Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(inboxOrder), "the inbox's cases, in its order");
            Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Does.Contain(a).And.Contain(b).And.Not.Contain(d), "another community's case is not listed");
            Assert.That(lines.Single(l => l.StartsWith(a, StringComparison.Ordinal)), Does.Contain(",贡院门社区,,环境卫生,楼道灯坏了，晚上看不见台阶,贡院门社区,2026-11-02 09:00,")
                .And.Contain(",138****5678,小程序"));
            Assert.That(Encoding.UTF8.GetString(bytes), Does.Not.Contain("13812345678"));
        });
    }

    [Test]
    public async Task Xlsx_OfTheOverdueFilter_IsTitled_CountsDaysOverdue_AndPrintsA4LandscapeWithItsHeadOnEveryPage()
    {
        var response = await community.GetAsync("/api/staff/complaints/export?overdue=true&format=xlsx", Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var saved = Path.Combine(TestContext.CurrentContext.WorkDirectory, "case-list-overdue.xlsx");
        await System.IO.File.WriteAllBytesAsync(saved, bytes, Ct);
        TestContext.AddTestAttachment(saved);
        using var xlsx = new XlsxFile(bytes);
        var detail = await community.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{a}", Ct);
        var due = detail.GetProperty("dueAt").GetDateTimeOffset();
        var daysOverdue = Math.Ceiling((clock.GetUtcNow() - due).TotalDays);
        var listed = Enumerable.Range(4, xlsx.RowCount - 4).Select(r => xlsx.Text(r, 1)).ToList();
        var page = xlsx.Sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.PageSetup>().Single();
        var titles = xlsx.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.DefinedName>().Single(n => n.Name == "_xlnm.Print_Titles");

        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(CaseListExport.XlsxContentType));
            Assert.That(xlsx.Text(1, 1), Is.EqualTo("莲湖区“民呼我行”诉求办理案件清单 · 贡院门社区 · 超期件"));
            Assert.That(xlsx.Text(2, 1), Does.StartWith("生成时间：2026-11-09 10:00（北京时间）"));
            Assert.That(xlsx.Text(3, 10), Is.EqualTo("超期天数"));
            Assert.That(listed, Is.EquivalentTo(new[] { a, b }), "only the overdue cases");
            Assert.That(xlsx.Number(listed.IndexOf(a) + 4, 10), Is.EqualTo(daysOverdue), "whole days past the deadline, a part day counting one");
            Assert.That(daysOverdue, Is.GreaterThanOrEqualTo(1));
            Assert.That(xlsx.Text(xlsx.RowCount, 1), Is.EqualTo("共 2 件"));
            Assert.That((page.Orientation?.InnerText, page.FitToWidth?.Value, page.PaperSize?.Value), Is.EqualTo(("landscape", 1u, 9u)));
            Assert.That(titles.Text, Is.EqualTo("'案件清单'!$1:$3"));
        });
    }

    [Test]
    public async Task Dispatcher_SeesTheDistrict_AndAFilterByStatusNamesItInTheTitle()
    {
        var csv = await dispatcher.GetStringAsync("/api/staff/complaints/export?sort=urgent", Ct);
        var xlsxResponse = await dispatcher.GetAsync("/api/staff/complaints/export?status=accepted&format=xlsx", Ct);
        using var xlsx = new XlsxFile(await xlsxResponse.Content.ReadAsByteArrayAsync(Ct));

        Assert.Multiple(() =>
        {
            Assert.That(csv, Does.Contain(a).And.Contain(b).And.Contain(c).And.Contain(d));
            Assert.That(xlsx.Text(1, 1), Is.EqualTo("莲湖区“民呼我行”诉求办理案件清单 · 莲湖区 · 已受理"));
        });
    }

    [TestCase("nonsense=1", "nonsense")]
    [TestCase("format=pdf", "format")]
    [TestCase("status=wrong", "status")]
    public async Task BadQuery_IsAProblemNamingTheField(string query, string field)
    {
        var response = await community.GetAsync("/api/staff/complaints/export?" + query, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task AListLongerThanTheLimit_StopsAtTheLimit_AndSaysSo()
    {
        var store = app.Service<StaffInboxStore>();
        var staff = new LianApi.Staff.StaffMember { Id = 1, Role = "dispatcher", UnitLevel = "district", IsActive = true };
        var rows = new List<string>();

        var more = await store.ForEachAsync(staff, new InboxQuery(null, null, null, null, null, null, null, null, null, null, null, null), false, 3,
            (row, _) => { rows.Add(row.TrackingNo); return ValueTask.CompletedTask; }, Ct);
        var all = await store.ForEachAsync(staff, new InboxQuery(null, null, null, null, null, null, null, null, null, null, null, null), false, 4,
            (_, _) => ValueTask.CompletedTask, Ct);

        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(new[] { d, c, b }), "newest first, three of four");
            Assert.That(more, Is.True);
            Assert.That(all, Is.False);
        });
    }

    [Test]
    public void EveryChannelAndRating_HasTheLabelAListShows()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Channels.Labels.Keys, Is.EquivalentTo(Channels.All));
            Assert.That(Satisfaction.Labels.Keys, Is.EquivalentTo(Satisfaction.All));
            Assert.That(typeof(Channels).GetFields().Where(f => f.IsLiteral && f.Name != nameof(Channels.Description)).Select(f => (string)f.GetRawConstantValue()!),
                Is.SubsetOf(Channels.All), "a new channel constant joins All (and so needs a label)");
        });
    }
}
