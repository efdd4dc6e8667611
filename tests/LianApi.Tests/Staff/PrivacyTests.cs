using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Data;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>
/// What staff may learn about a resident and what residents may read of staff work (issue 7 §2): anonymous means
/// anonymous to every unit, internal text is internal whatever the action, and a department's view follows the case.
/// </summary>
public sealed class PrivacyTests
{
    private LianApiFactory app = null!;
    private HttpClient resident = null!;
    private HttpClient community = null!;
    private HttpClient street = null!;
    private HttpClient dispatcher = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public async Task Start()
    {
        app = new LianApiFactory();
        await app.AddDepartmentsAsync(("privacy-dept-a", "测试甲局"), ("privacy-dept-b", "测试乙局"));
        resident = await app.LoginAsync("privacy-resident");
        community = await app.StaffAsync("privacy-community", "community", "gongyuanmen");
        street = await app.StaffAsync("privacy-street", "street", "beiyuanmen");
        dispatcher = await app.StaffAsync("privacy-dispatcher", "dispatcher", null);
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task RevealContact_AnonymousReport_IsRefusedToTheHandlerAndLeavesNoRevealRow()
    {
        var filed = await resident.SubmitAsync(new
        {
            communityCode = "gongyuanmen", categoryCode = "property", description = "楼上漏水到我家厨房", contactPhone = "13812345678", anonymous = true,
        });
        var trackingNo = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;

        var response = await community.PostAsync($"/api/staff/complaints/{trackingNo}/contact", null);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.Forbidden);
        var reveals = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM PhoneReveals", cancellationToken: Ct)), Ct);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("匿名"));
            Assert.That(problem.ToString(), Does.Not.Contain("13812345678").And.Not.Contain("5678"));
            Assert.That(reveals, Is.Zero);
        });
    }

    [Test]
    public async Task StaffText_OnEscalateDispatchSuperviseAndApproveExtension_NeverReachesTheResident()
    {
        var trackingNo = await resident.FileAsync();
        (await community.ActAsync(trackingNo, "escalate", new { reason = "INTERNAL-escalate: 该居民多次投诉" })).EnsureSuccessStatusCode();
        (await street.ActAsync(trackingNo, "escalate", new { reason = "INTERNAL-escalate-2" })).EnsureSuccessStatusCode();
        (await dispatcher.ActAsync(trackingNo, "supervise", new { note = "INTERNAL-supervise: 注意应对" })).EnsureSuccessStatusCode();
        (await dispatcher.ActAsync(trackingNo, "dispatch", new { note = "INTERNAL-dispatch", target = new { level = "department", code = "privacy-dept-a" } })).EnsureSuccessStatusCode();
        using var department = await app.StaffAsync("privacy-department-a", "department", "privacy-dept-a");
        (await department.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        (await department.ActAsync(trackingNo, "request-extension", new { reason = "INTERNAL-extension", newDueAt = DateTimeOffset.UtcNow.AddDays(30) })).EnsureSuccessStatusCode();
        (await dispatcher.ActAsync(trackingNo, "approve-extension", new { note = "INTERNAL-approve" })).EnsureSuccessStatusCode();
        (await department.ActAsync(trackingNo, "reply", new { reply = "已安排维修人员本周上门" })).EnsureSuccessStatusCode();

        var residentView = await resident.GetStringAsync($"/api/complaints/{trackingNo}");
        var staffView = await dispatcher.GetStringAsync($"/api/staff/complaints/{trackingNo}");

        Assert.Multiple(() =>
        {
            Assert.That(residentView, Does.Not.Contain("INTERNAL"), residentView);
            Assert.That(residentView, Does.Contain("已安排维修人员本周上门"), "the reply is what residents are meant to read");
            Assert.That(residentView, Does.Contain("supervised").And.Contain("dispatched").And.Contain("extension_approved"), "the steps stay visible, without the staff text");
            foreach (var text in new[] { "INTERNAL-escalate", "INTERNAL-escalate-2", "INTERNAL-supervise", "INTERNAL-dispatch", "INTERNAL-approve" })
            {
                Assert.That(staffView, Does.Contain(text), "staff keep the internal text on the timeline");
            }
        });
    }

    [Test]
    public async Task Department_AfterReturningTheCase_CanNeitherReadNorWriteIt()
    {
        var trackingNo = await DispatchedToAsync("privacy-dept-a");
        using var department = await app.StaffAsync("privacy-department-return", "department", "privacy-dept-a");
        (await department.GetAsync($"/api/staff/complaints/{trackingNo}")).EnsureSuccessStatusCode();

        (await department.ActAsync(trackingNo, "return", new { reason = "不属于本局职责" })).EnsureSuccessStatusCode();

        await ProblemAssert.IsProblem(await department.GetAsync($"/api/staff/complaints/{trackingNo}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await department.ActAsync(trackingNo, "note", new { note = "还想补充" }), HttpStatusCode.NotFound);
        var inbox = await department.GetFromJsonAsync<JsonElement>("/api/staff/complaints");
        Assert.That(inbox.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Department_AfterTheCaseWasDispatchedElsewhere_CanNeitherReadNorWriteIt()
    {
        var trackingNo = await DispatchedToAsync("privacy-dept-a");
        using var first = await app.StaffAsync("privacy-department-first", "department", "privacy-dept-a");
        (await first.ActAsync(trackingNo, "return", new { reason = "应由乙局办理" })).EnsureSuccessStatusCode();
        (await dispatcher.ActAsync(trackingNo, "dispatch", new { target = new { level = "department", code = "privacy-dept-b" } })).EnsureSuccessStatusCode();
        using var second = await app.StaffAsync("privacy-department-second", "department", "privacy-dept-b");

        await ProblemAssert.IsProblem(await first.GetAsync($"/api/staff/complaints/{trackingNo}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await first.ActAsync(trackingNo, "note", new { note = "补充" }), HttpStatusCode.NotFound);
        (await second.GetAsync($"/api/staff/complaints/{trackingNo}")).EnsureSuccessStatusCode();
    }

    [TestCase("description", "楼道灯坏了\u0000晚上看不见")]
    [TestCase("description", "楼道灯坏了\u202E晚上看不见")]
    [TestCase("description", "楼道灯坏了\u2066晚上看不见")]
    [TestCase("address", "3号楼\u0007")]
    public async Task Submit_ControlOrBidiCharacters_Returns400AndStoresNothing(string field, string value)
    {
        var body = new Dictionary<string, object?> { ["communityCode"] = "gongyuanmen", ["categoryCode"] = "property", ["description"] = "楼道灯坏了，晚上看不见", [field] = value };

        var problem = await ProblemAssert.IsProblem(await resident.SubmitAsync(body), HttpStatusCode.BadRequest);

        var mine = await resident.GetFromJsonAsync<JsonElement>("/api/complaints/mine");
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
            Assert.That(mine.GetProperty("items").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task Submit_LineBreaksAndTabs_AreAccepted()
    {
        var response = await resident.SubmitAsync(Requests.Complaint("第一行：楼道灯坏了\n第二行：\t晚上看不见台阶\r\n第三行"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [TestCase("note", "note", "内部\u0000备注")]
    [TestCase("reply", "reply", "已处理\u202E完毕")]
    public async Task StaffAction_ControlOrBidiCharacters_Returns400(string action, string field, string value)
    {
        var trackingNo = await resident.FileAsync();

        var problem = await ProblemAssert.IsProblem(await community.ActAsync(trackingNo, action, new Dictionary<string, string> { [field] = value }), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public void RequestTypes_EveryStringProperty_IsCheckedAsPlainText()
    {
        var missing = typeof(LianApi.Infrastructure.PlainTextAttribute).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) && t.IsPublic)
            .SelectMany(t => t.GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (Type: t, Property: p)))
            .Where(x => !x.Property.IsDefined(typeof(LianApi.Infrastructure.PlainTextAttribute), inherit: true)
                        && x.Type.GetConstructors().SelectMany(c => c.GetParameters()).FirstOrDefault(p => p.Name == x.Property.Name)?
                            .IsDefined(typeof(LianApi.Infrastructure.PlainTextAttribute), inherit: true) != true)
            .Select(x => $"{x.Type.Name}.{x.Property.Name}")
            .ToList();

        Assert.That(missing, Is.Empty, "free text from clients must carry [PlainText]");
    }

    [TestCase("dispatcher")]
    [TestCase("community")]
    public async Task Dispatch_TargetWithoutCode_Returns400BeforeAnyLookup(string role)
    {
        var trackingNo = await resident.FileAsync();
        var caller = role == "dispatcher" ? dispatcher : community;

        var problem = await ProblemAssert.IsProblem(
            await caller.ActAsync(trackingNo, "dispatch", new { target = new { level = "department", code = (string?)null } }), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").TryGetProperty("target.code", out _), Is.True, problem.ToString());
    }

    [TestCase("junk")]
    [TestCase("\"1\"x")]
    [TestCase("W/\"abc\"")]
    public async Task StaffAction_JunkIfMatch_Returns400WithoutEchoingIt(string ifMatch)
    {
        var trackingNo = await resident.FileAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/staff/complaints/{trackingNo}/accept") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        var problem = await ProblemAssert.IsProblem(await community.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.That(problem.ToString(), Does.Not.Contain(ifMatch.Trim('"')), "junk is not echoed back");
        Assert.That(problem.GetProperty("errors").TryGetProperty("If-Match", out _), Is.True, problem.ToString());
    }

    [TestCase("\"1\"")]
    [TestCase("1")]
    [TestCase("W/\"1\"")]
    public async Task StaffAction_IfMatchOfTheCurrentVersion_IsAccepted(string ifMatch)
    {
        var trackingNo = await resident.FileAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/staff/complaints/{trackingNo}/accept") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        var response = await community.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private async Task<string> DispatchedToAsync(string departmentCode)
    {
        var trackingNo = await resident.FileAsync();
        (await community.ActAsync(trackingNo, "escalate", new { reason = "社区无法处理" })).EnsureSuccessStatusCode();
        (await street.ActAsync(trackingNo, "escalate", new { reason = "需要区里协调" })).EnsureSuccessStatusCode();
        (await dispatcher.ActAsync(trackingNo, "dispatch", new { target = new { level = "department", code = departmentCode } })).EnsureSuccessStatusCode();
        return trackingNo;
    }
}
