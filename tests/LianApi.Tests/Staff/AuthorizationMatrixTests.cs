using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>
/// reliability.md AZ-1..4: who may call what on which case, driven from one table. The case was filed in
/// 贡院门社区 (北院门街道) and is still with the community; "other" callers belong to another community, street
/// or department. Out of scope is a 404, exactly like another resident's report.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static LianApiFactory app = null!;
    private static readonly Dictionary<string, HttpClient> Callers = new();
    private static string trackingNo = null!;

    [OneTimeSetUp]
    public static async Task CreateCallersAndCase()
    {
        app = new LianApiFactory();
        await app.AddDepartmentsAsync(("test-dept-a", "测试甲局"), ("test-dept-b", "测试乙局"));
        Callers["anonymous"] = app.CreateClient();
        Callers["owner"] = await app.LoginAsync("matrix-owner");
        Callers["other-resident"] = await app.LoginAsync("matrix-other");
        Callers["community"] = await app.StaffAsync("matrix-community", "community", "gongyuanmen");
        Callers["other-community"] = await app.StaffAsync("matrix-community-y", "community", "daxingdonglu");
        Callers["street"] = await app.StaffAsync("matrix-street", "street", "beiyuanmen");
        Callers["other-street"] = await app.StaffAsync("matrix-street-y", "street", "hongmiaopo");
        Callers["department"] = await app.StaffAsync("matrix-department", "department", "test-dept-b");
        Callers["dispatcher"] = await app.StaffAsync("matrix-dispatcher", "dispatcher", null);
        await app.AddGridsAsync("gongyuanmen", ("matrix-grid", "测试网格"));
        Callers["grid-worker"] = await app.StaffAsync("matrix-grid-worker", "community", "gongyuanmen", "matrix-grid");
        Callers["volunteer"] = await app.StaffAsync("matrix-volunteer", "volunteer", "gongyuanmen");
        trackingNo = await Callers["owner"].FileAsync(phone: "13900001111");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    private static readonly (string Caller, string Method, string Path, HttpStatusCode Expected)[] Matrix =
    [
        // The resident's own view of a report.
        ("anonymous", "GET", "/api/complaints/{no}", HttpStatusCode.Unauthorized),
        ("owner", "GET", "/api/complaints/{no}", HttpStatusCode.OK),
        ("other-resident", "GET", "/api/complaints/{no}", HttpStatusCode.NotFound),
        ("community", "GET", "/api/complaints/{no}", HttpStatusCode.NotFound),
        ("other-resident", "POST", "/api/complaints/{no}/urge", HttpStatusCode.NotFound),
        ("other-resident", "POST", "/api/complaints/{no}/evaluation", HttpStatusCode.NotFound),
        ("anonymous", "POST", "/api/complaints/{no}/urge", HttpStatusCode.Unauthorized),

        // The staff view of the case.
        ("anonymous", "GET", "/api/staff/complaints/{no}", HttpStatusCode.Unauthorized),
        ("owner", "GET", "/api/staff/complaints/{no}", HttpStatusCode.Forbidden),
        ("community", "GET", "/api/staff/complaints/{no}", HttpStatusCode.OK),
        ("other-community", "GET", "/api/staff/complaints/{no}", HttpStatusCode.NotFound),
        ("street", "GET", "/api/staff/complaints/{no}", HttpStatusCode.OK),
        ("other-street", "GET", "/api/staff/complaints/{no}", HttpStatusCode.NotFound),
        ("department", "GET", "/api/staff/complaints/{no}", HttpStatusCode.NotFound),
        ("dispatcher", "GET", "/api/staff/complaints/{no}", HttpStatusCode.OK),

        // The inbox.
        ("anonymous", "GET", "/api/staff/complaints", HttpStatusCode.Unauthorized),
        ("owner", "GET", "/api/staff/complaints", HttpStatusCode.Forbidden),
        ("community", "GET", "/api/staff/complaints", HttpStatusCode.OK),
        ("department", "GET", "/api/staff/complaints", HttpStatusCode.OK),

        // An internal note: any staff member in scope.
        ("owner", "POST", "/api/staff/complaints/{no}/note", HttpStatusCode.Forbidden),
        ("community", "POST", "/api/staff/complaints/{no}/note", HttpStatusCode.OK),
        ("other-community", "POST", "/api/staff/complaints/{no}/note", HttpStatusCode.NotFound),
        ("street", "POST", "/api/staff/complaints/{no}/note", HttpStatusCode.OK),
        ("other-street", "POST", "/api/staff/complaints/{no}/note", HttpStatusCode.NotFound),
        ("department", "POST", "/api/staff/complaints/{no}/note", HttpStatusCode.NotFound),
        ("dispatcher", "POST", "/api/staff/complaints/{no}/note", HttpStatusCode.OK),

        // Acting needs the role (403), the scope (404) and the case being with the caller's unit (409).
        ("community", "POST", "/api/staff/complaints/{no}/dispatch", HttpStatusCode.Forbidden),
        ("street", "POST", "/api/staff/complaints/{no}/accept", HttpStatusCode.Conflict),
        ("other-community", "POST", "/api/staff/complaints/{no}/accept", HttpStatusCode.NotFound),
        ("dispatcher", "POST", "/api/staff/complaints/{no}/supervise", HttpStatusCode.OK),
        ("community", "POST", "/api/staff/complaints/{no}/supervise", HttpStatusCode.Forbidden),
        ("community", "POST", "/api/staff/complaints/{no}/no-such-action", HttpStatusCode.NotFound),

        // The full phone number: only the unit handling the case, and audited.
        ("community", "POST", "/api/staff/complaints/{no}/contact", HttpStatusCode.OK),
        ("street", "POST", "/api/staff/complaints/{no}/contact", HttpStatusCode.Forbidden),
        ("dispatcher", "POST", "/api/staff/complaints/{no}/contact", HttpStatusCode.Forbidden),
        ("other-community", "POST", "/api/staff/complaints/{no}/contact", HttpStatusCode.NotFound),
        ("owner", "POST", "/api/staff/complaints/{no}/contact", HttpStatusCode.Forbidden),

        // A volunteer sees only the reports they recorded; a grid worker only their grid's and their assigned cases.
        ("volunteer", "GET", "/api/staff/complaints/{no}", HttpStatusCode.NotFound),
        ("volunteer", "GET", "/api/staff/complaints", HttpStatusCode.OK),
        ("volunteer", "POST", "/api/staff/complaints/{no}/note", HttpStatusCode.NotFound),
        ("volunteer", "POST", "/api/staff/complaints/{no}/contact", HttpStatusCode.NotFound),
        ("volunteer", "GET", "/api/staff/communities/gongyuanmen", HttpStatusCode.OK),
        ("volunteer", "GET", "/api/staff/communities/daxingdonglu", HttpStatusCode.NotFound),
        ("grid-worker", "GET", "/api/staff/complaints/{no}", HttpStatusCode.NotFound),
        ("grid-worker", "POST", "/api/staff/complaints/{no}/accept", HttpStatusCode.NotFound),
        ("grid-worker", "POST", "/api/staff/complaints/{no}/contact", HttpStatusCode.NotFound),

        // Recording on a resident's behalf (a door-knock report in 贡院门社区): community and street staff and volunteers.
        ("anonymous", "POST", "/api/staff/complaints", HttpStatusCode.Unauthorized),
        ("owner", "POST", "/api/staff/complaints", HttpStatusCode.Forbidden),
        ("department", "POST", "/api/staff/complaints", HttpStatusCode.Forbidden),
        ("dispatcher", "POST", "/api/staff/complaints", HttpStatusCode.Forbidden),
        ("other-community", "POST", "/api/staff/complaints", HttpStatusCode.Forbidden),
        ("other-street", "POST", "/api/staff/complaints", HttpStatusCode.Forbidden),
        ("community", "POST", "/api/staff/complaints", HttpStatusCode.Created),
        ("street", "POST", "/api/staff/complaints", HttpStatusCode.Created),
        ("volunteer", "POST", "/api/staff/complaints", HttpStatusCode.Created),

        // The new actions: the role (403), the scope (404), the holder (409), then the input (400).
        ("dispatcher", "POST", "/api/staff/complaints/{no}/assign", HttpStatusCode.Forbidden),
        ("street", "POST", "/api/staff/complaints/{no}/assign", HttpStatusCode.Forbidden),
        ("community", "POST", "/api/staff/complaints/{no}/assign", HttpStatusCode.BadRequest),
        ("dispatcher", "POST", "/api/staff/complaints/{no}/whistle", HttpStatusCode.Forbidden),
        ("department", "POST", "/api/staff/complaints/{no}/whistle", HttpStatusCode.NotFound),
        ("street", "POST", "/api/staff/complaints/{no}/whistle", HttpStatusCode.Conflict),
        ("community", "POST", "/api/staff/complaints/{no}/whistle", HttpStatusCode.BadRequest),
        ("volunteer", "POST", "/api/staff/complaints/{no}/evaluate-by-phone", HttpStatusCode.NotFound),
        ("community", "POST", "/api/staff/complaints/{no}/evaluate-by-phone", HttpStatusCode.Conflict),

        // Binding needs a WeChat login first.
        ("anonymous", "POST", "/api/staff/bind", HttpStatusCode.Unauthorized),
    ];

    private static IEnumerable<TestCaseData> Cells() =>
        Matrix.Select(m => new TestCaseData(m.Caller, m.Method, m.Path, m.Expected).SetName($"{m.Caller} {m.Method} {m.Path} → {(int)m.Expected}"));

    [TestCaseSource(nameof(Cells))]
    public async Task Call_ReturnsTheStatusTheMatrixSays(string caller, string method, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{no}", trackingNo));
        if (method == "POST")
        {
            // A valid body for each endpoint, so only who asks decides the answer.
            if (path == "/api/staff/complaints")
            {
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            }
            request.Content = path.EndsWith("/evaluation") ? JsonContent.Create(new { resolved = true, satisfaction = "satisfied" })
                : path == "/api/staff/complaints" ? JsonContent.Create(new { channel = "door_knock", communityCode = "gongyuanmen", categoryCode = "property", description = "矩阵测试：楼道灯坏了" })
                : path.EndsWith("/bind") ? JsonContent.Create(new { bindingCode = "ABCDE-FGHJK" })
                : JsonContent.Create(new { note = "矩阵测试", reason = "矩阵测试" });
        }

        var response = await Callers[caller].SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        if ((int)expected >= 400)
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
    }

    [TestCase("community", true)]
    [TestCase("other-community", false)]
    [TestCase("street", true)]
    [TestCase("other-street", false)]
    [TestCase("department", false)]
    [TestCase("dispatcher", true)]
    [TestCase("volunteer", false)]
    [TestCase("grid-worker", false)]
    public async Task Inbox_ListsExactlyTheCasesInScope(string caller, bool sees)
    {
        var inbox = await Callers[caller].GetFromJsonAsync<JsonElement>("/api/staff/complaints");

        var listed = inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()).ToList();
        Assert.That(listed.Contains(trackingNo), Is.EqualTo(sees), string.Join(",", listed));
    }

    [Test]
    public async Task Lists_NeverShowAFullPhoneNumber_AndTheRevealIsAudited()
    {
        Task<long> AuditsAsync() => app.Service<LianApi.Data.Database>().ReadAsync(c =>
            Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM PhoneReveals"), CancellationToken.None);
        var inbox = await Callers["dispatcher"].GetStringAsync("/api/staff/complaints");
        var detail = await Callers["community"].GetStringAsync($"/api/staff/complaints/{trackingNo}");
        var auditsBefore = await AuditsAsync();
        var reveal = await Callers["community"].PostAsync($"/api/staff/complaints/{trackingNo}/contact", null);
        var phone = (await reveal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phone").GetString();
        var audits = await AuditsAsync() - auditsBefore;

        Assert.Multiple(() =>
        {
            Assert.That(inbox, Does.Not.Contain("13900001111").And.Contain("139****1111"));
            Assert.That(detail, Does.Not.Contain("13900001111"));
            Assert.That(phone, Is.EqualTo("13900001111"));
            Assert.That(audits, Is.EqualTo(1), "exactly one audit row for this reveal");
        });
    }
}
