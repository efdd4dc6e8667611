using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LianApi.Auth;
using LianApi.Complaints;
using LianApi.Shared;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Contract;

/// <summary>
/// The runtime matches the spec beyond its text: a resident's and a unit's whole flow, with the usual failures, and
/// every answer validated against the spec's schema for its operation, status and media type (JsonSchema.Net), its
/// declared media types and headers. ContractSuiteCheck does the same for every other test's answers.
/// </summary>
public sealed class ContractTests
{
    [Test]
    public async Task RepresentativeFlow_EveryAnswer_MatchesTheSpec()
    {
        await using var app = new LianApiFactory();
        var anonymous = app.CreateClient();
        Assert.That((await anonymous.PostAsJsonAsync("/api/auth/wechat-login", new { })).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        await anonymous.GetAsync("/api/categories");
        await anonymous.GetAsync("/api/communities?streetCode=beiyuanmen");
        await anonymous.GetAsync("/api/communities/gongyuanmen");
        await anonymous.GetAsync("/api/communities/no-such-community");
        Assert.That((await anonymous.SubmitAsync(Requests.Complaint())).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var png = await anonymous.GetAsync("/api/communities/gongyuanmen/qrcode?kind=link&format=png&preset=small");
        var again = new HttpRequestMessage(HttpMethod.Get, "/api/communities/gongyuanmen/qrcode?kind=link&format=png&preset=small");
        again.Headers.IfNoneMatch.Add(png.Headers.ETag!);
        Assert.That((await anonymous.SendAsync(again)).StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        await anonymous.GetAsync("/api/communities/gongyuanmen/qrcode?format=svg");
        await anonymous.GetAsync("/api/communities/gongyuanmen/qrcode?kind=wxacode&preset=small");
        await anonymous.GetAsync("/api/communities/gongyuanmen/qrcode?size=300");

        var resident = await app.LoginAsync("contract-resident");
        var community = await app.StaffAsync("contract-staff", "community", "gongyuanmen");
        var key = Guid.NewGuid().ToString();
        var submitted = await resident.SubmitAsync(Requests.Complaint(phone: "13812345678"), key);
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());
        var trackingNo = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["trackingNo"]!.GetValue<string>();
        Assert.That((await resident.SubmitAsync(Requests.Complaint(phone: "13812345678"), key)).Headers.Contains("Idempotent-Replayed"), Is.True);
        Assert.That((await resident.SubmitAsync(Requests.Complaint("另一件事：楼下垃圾没人清"), key)).StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        await resident.SubmitAsync(Requests.Complaint(community: "no-such-community"));
        await resident.SubmitAsync(Requests.Complaint(description: "短"));
        await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "有位置的报告：路灯不亮", location = new { latitude = 34.26, longitude = 108.94 }, anonymous = true });
        await resident.GetAsync($"/api/complaints/{trackingNo}");
        await resident.GetAsync("/api/complaints/mine?status=submitted&limit=1");
        await resident.GetAsync("/api/complaints/mine?limit=abc");
        await resident.GetAsync("/api/complaints/LH20000101-9999");
        Assert.That((await resident.PostAsync($"/api/complaints/{trackingNo}/urge", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await resident.PostAsync($"/api/complaints/{trackingNo}/urge", null)).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        await resident.PostAsJsonAsync($"/api/complaints/{trackingNo}/evaluation", new { resolved = true, satisfaction = "satisfied" });
        Assert.That((await resident.GetAsync("/api/staff/complaints")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        await community.GetAsync("/api/staff/complaints?sort=urgent&status=submitted");
        await community.GetAsync($"/api/staff/complaints/{trackingNo}");
        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/staff/complaints/{trackingNo}/accept") { Content = JsonContent.Create(new { }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"99\""));
        Assert.That((await community.SendAsync(stale)).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await community.ActAsync(trackingNo, "accept")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await community.ActAsync(trackingNo, "no-such-action");
        await community.ActAsync(trackingNo, "dispatch", new { target = new { level = "community", code = "no-such-unit" } });
        await community.PostAsync($"/api/staff/complaints/{trackingNo}/contact", null);
        await community.ActAsync(trackingNo, "resolve", new { reply = "已更换灯泡" });
        await resident.PostAsJsonAsync($"/api/complaints/{trackingNo}/evaluation", new { resolved = true, satisfaction = "satisfied", comment = "很快" });
        await community.GetAsync($"/api/staff/complaints/{trackingNo}");

        var contract = OpenApiContract.Committed;
        var exchanges = app.Contract.Exchanges.ToList();
        var covered = exchanges.Where(e => contract.OperationOf(e) is not null).Select(e => $"{contract.OperationOf(e)} {e.Status}").ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(exchanges.SelectMany(contract.Check), Is.Empty, "every answer matches the spec");
            Assert.That(covered, Is.SupersetOf(new[]
            {
                "POST /api/auth/wechat-login 200", "POST /api/auth/wechat-login 400", "POST /api/staff/bind 200",
                "GET /api/categories 200", "GET /api/communities 200", "GET /api/communities/{code} 200", "GET /api/communities/{code} 404",
                "GET /api/communities/{code}/qrcode 200", "GET /api/communities/{code}/qrcode 304", "GET /api/communities/{code}/qrcode 400",
                "POST /api/complaints 201", "POST /api/complaints 400", "POST /api/complaints 401", "POST /api/complaints 422",
                "GET /api/complaints/mine 200", "GET /api/complaints/mine 400",
                "GET /api/complaints/{trackingNo} 200", "GET /api/complaints/{trackingNo} 404",
                "POST /api/complaints/{trackingNo}/urge 200", "POST /api/complaints/{trackingNo}/urge 429",
                "POST /api/complaints/{trackingNo}/evaluation 200", "POST /api/complaints/{trackingNo}/evaluation 409",
                "GET /api/staff/complaints 200", "GET /api/staff/complaints 403", "GET /api/staff/complaints/{trackingNo} 200",
                "POST /api/staff/complaints/{trackingNo}/accept 200", "POST /api/staff/complaints/{trackingNo}/accept 409",
                "POST /api/staff/complaints/{trackingNo}/dispatch 422", "POST /api/staff/complaints/{trackingNo}/resolve 200",
                "POST /api/staff/complaints/{trackingNo}/contact 200",
            }));
        });
    }

    [Test]
    public void Check_AnswersThatDifferFromTheSpec_AreReported()
    {
        // Proves the check can fail: a missing property, a wrong enum value, an undeclared header and media type.
        var contract = OpenApiContract.Committed;
        var noHeaders = new Dictionary<string, string>();
        var login = new RecordedExchange("POST", "/api/auth/wechat-login", 200, "application/json", """{"accessToken":"t","user":{"id":1,"roles":["mayor"],"staff":null}}""", noHeaders);
        var landing = new RecordedExchange("GET", "/api/communities/gongyuanmen", 200, "application/json; charset=utf-8",
            """{"code":"c","name":"n","address":null,"location":{"latitude":"34"},"street":{"code":"s","name":"n"},"categories":[],"emergencyHotlines":[]}""", noHeaders);
        var image = new RecordedExchange("GET", "/api/communities/gongyuanmen/qrcode", 200, "image/gif", null, new Dictionary<string, string> { ["Location"] = "/x" });
        var teapot = new RecordedExchange("GET", "/api/categories", 418, "application/problem+json", "{}", noHeaders);

        Assert.Multiple(() =>
        {
            Assert.That(string.Join("\n", contract.Check(login)), Does.Contain("expiresAt").And.Contain("/user/roles/0"));
            Assert.That(string.Join("\n", contract.Check(landing)), Does.Contain("/location"));
            Assert.That(contract.Check(image), Has.Some.Contains("image/gif").And.Some.Contains("sends Location").And.Some.Contains("requires header ETag"));
            Assert.That(contract.Check(teapot), Has.One.Contains("status 418 is not declared"));
        });
    }

    [Test]
    public void Spec_ClosedSets_AreTheConstantsTheServerUses()
    {
        var schemas = JsonNode.Parse(File.ReadAllText(OpenApiSpecTests.CommittedSpecPath()))!["components"]!["schemas"]!;
        string[] Enum(JsonNode? schema) => schema!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(Enum(schemas["LoginStaff"]!["properties"]!["role"]), Is.EquivalentTo(StaffRoles.All));
            Assert.That(Enum(schemas["LoginUser"]!["properties"]!["roles"]!["items"]), Is.EquivalentTo(StaffRoles.All.Append(Roles.Resident)));
            Assert.That(Enum(schemas["ComplaintDetail"]!["properties"]!["status"]), Is.EquivalentTo(ComplaintStatus.Labels.Keys));
            Assert.That(Enum(schemas["InboxItem"]!["properties"]!["level"]), Is.EquivalentTo(HandlingLevel.All));
            Assert.That(Enum(schemas["EvaluationRequest"]!["properties"]!["satisfaction"]),
                Is.EquivalentTo(new[] { Satisfaction.Satisfied, Satisfaction.BasicallySatisfied, Satisfaction.Unsatisfied }));
        });
    }
}
