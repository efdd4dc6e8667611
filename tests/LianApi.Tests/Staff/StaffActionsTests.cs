using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Complaints;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Staff;

/// <summary>
/// Issue 25 §1, §3, §4 through real HTTP: allowedActions (what the machine accepts, with the fields each needs), every
/// refused field under its key, who acted on each step, the dispatch center's dispatch, reassign and call-backs (回访).
/// </summary>
public sealed class StaffActionsTests
{
    private static LianApiFactory app = null!;
    private static HttpClient resident = null!;
    private static HttpClient community = null!;
    private static HttpClient street = null!;
    private static HttpClient dispatcher = null!;
    private static HttpClient department = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        await app.AddDepartmentsAsync(("actions-dept", "测试行动局"));
        resident = await app.LoginAsync("actions-resident");
        community = await app.StaffAsync("actions-community", "community", "gongyuanmen", name: "社区王");
        street = await app.StaffAsync("actions-street", "street", "beiyuanmen", name: "街道李");
        dispatcher = await app.StaffAsync("actions-dispatcher", "dispatcher", null, name: "调度张");
        department = await app.StaffAsync("actions-department", "department", "actions-dept", name: "部门赵");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    private static async Task<JsonElement> StaffViewAsync(HttpClient staff, string trackingNo) =>
        await staff.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");

    private static string[] Allowed(JsonElement view) =>
        [.. view.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetProperty("action").GetString()!)];

    private static async Task OkAsync(HttpResponseMessage response) =>
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

    /// <summary>A valid body for each field an action needs, as a form would fill it from allowedActions.</summary>
    private static Dictionary<string, object> Body(JsonElement allowed) => allowed.GetProperty("required").EnumerateArray()
        .Select(f => f.GetString()!).ToDictionary(f => f, f => f switch
        {
            ActionFields.Reason or ActionFields.Reply or ActionFields.Note => (object)"测试文字",
            ActionFields.NewDueAt => DateTimeOffset.UtcNow.AddDays(60),
            ActionFields.Target => new { level = "department", code = "actions-dept" },
            ActionFields.Resolved => true,
            ActionFields.Satisfaction => "satisfied",
            _ => throw new InvalidOperationException($"no test value for {f}"),
        });

    [TestCase("community")]
    [TestCase("street")]
    [TestCase("dispatcher")]
    public async Task AllowedActions_EachListedActionWithItsRequiredFields_IsAccepted_AndNoOtherIs(string role)
    {
        var staff = role switch { "community" => community, "street" => street, _ => dispatcher };
        var probe = await resident.FileAsync();
        var view = await StaffViewAsync(staff, probe);
        var inbox = await staff.GetFromJsonAsync<JsonElement>("/api/staff/complaints?limit=50");
        var item = inbox.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("trackingNo").GetString() == probe);
        Assert.That(Allowed(item), Is.EqualTo(Allowed(view)), "the inbox item lists what the case page lists");

        foreach (var action in ComplaintActions.All.Where(a => a is not (ComplaintActions.Assign or ComplaintActions.Whistle)))
        {
            // Each try on a fresh case in the same state, so one action's effect never decides another's answer.
            var trackingNo = await resident.FileAsync();
            var listed = (await StaffViewAsync(staff, trackingNo)).GetProperty("allowedActions").EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("action").GetString() == action);
            var body = listed.ValueKind == JsonValueKind.Object ? Body(listed) : new Dictionary<string, object>
            {
                ["reason"] = "测试", ["reply"] = "测试", ["note"] = "测试", ["newDueAt"] = DateTimeOffset.UtcNow.AddDays(60),
                ["target"] = new { level = "department", code = "actions-dept" }, ["resolved"] = true, ["satisfaction"] = "satisfied",
            };
            var response = await staff.ActAsync(trackingNo, action, body);
            Assert.That(response.IsSuccessStatusCode, Is.EqualTo(listed.ValueKind == JsonValueKind.Object),
                $"{role} {action}: listed {listed.ValueKind == JsonValueKind.Object}, answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Test]
    public async Task Resolve_WithoutReply_AndExtensionWithNothing_NameEveryFieldUnderItsKey()
    {
        var trackingNo = await resident.FileAsync(category: "roof-leak");
        await OkAsync(await community.ActAsync(trackingNo, "accept"));
        var resolve = (await StaffViewAsync(community, trackingNo)).GetProperty("allowedActions").EnumerateArray()
            .Single(a => a.GetProperty("action").GetString() == "resolve");

        var noReply = await community.ActAsync(trackingNo, "resolve");
        var noExtension = await community.ActAsync(trackingNo, "request-extension");
        var errors = (await noReply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var extensionErrors = (await noExtension.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        Assert.Multiple(() =>
        {
            Assert.That(resolve.GetProperty("required").EnumerateArray().Select(f => f.GetString()), Is.EquivalentTo(new[] { "reply", "photoIds" }),
                "房屋漏水 requires a resolution photo, so photoIds is required for this case");
            Assert.That(noReply.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "reply", "photoIds" }));
            Assert.That(noExtension.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(extensionErrors.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "reason", "newDueAt" }));
        });
    }

    [Test]
    public async Task Timeline_StaffSeeWhoActed_ResidentsSeeTheUnitOnly()
    {
        var trackingNo = await resident.FileAsync();
        await OkAsync(await community.ActAsync(trackingNo, "accept"));

        var staffEntry = (await StaffViewAsync(street, trackingNo)).GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "accepted");
        var residentView = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}");
        var residentEntry = residentView.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "accepted");

        Assert.Multiple(() =>
        {
            Assert.That(staffEntry.GetProperty("actor").GetProperty("name").GetString(), Is.EqualTo("社区王"));
            Assert.That(staffEntry.GetProperty("actor").GetProperty("unit").GetString(), Is.EqualTo("贡院门社区"));
            Assert.That(staffEntry.GetProperty("actor").GetProperty("role").GetString(), Is.EqualTo("community"));
            Assert.That(residentEntry.TryGetProperty("actor", out _), Is.False, "a resident never learns who acted");
            Assert.That(residentView.GetRawText(), Does.Not.Contain("社区王"));
            Assert.That(residentEntry.GetProperty("unit").GetString(), Is.EqualTo("贡院门社区"));
        });
    }

    /// <summary>A case up the chain to the dispatch center (上报 twice), which accepts it.</summary>
    private static async Task<string> AcceptedByTheCenterAsync()
    {
        var trackingNo = await resident.FileAsync();
        await OkAsync(await community.ActAsync(trackingNo, "escalate", new { reason = "需要街道协调" }));
        await OkAsync(await street.ActAsync(trackingNo, "escalate", new { reason = "涉及部门职责" }));
        await OkAsync(await dispatcher.ActAsync(trackingNo, "accept"));
        return trackingNo;
    }

    [Test]
    public async Task Dispatch_CaseTheCenterAccepted_GoesToTheDepartment()
    {
        var trackingNo = await AcceptedByTheCenterAsync();

        var dispatch = await dispatcher.ActAsync(trackingNo, "dispatch", new { target = new { level = "department", code = "actions-dept" } });

        await OkAsync(dispatch);
        var view = await dispatch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(view.GetProperty("level").GetString(), Is.EqualTo("department"));
            Assert.That(view.GetProperty("status").GetString(), Is.EqualTo("submitted"), "the department receives it and must accept it");
        });
    }

    [Test]
    public async Task Reassign_FromADepartment_BackToTheCenterOrToAnotherUnit_AuditedWithAnInternalReason()
    {
        var trackingNo = await AcceptedByTheCenterAsync();
        await OkAsync(await dispatcher.ActAsync(trackingNo, "dispatch", new { target = new { level = "department", code = "actions-dept" } }));
        await OkAsync(await department.ActAsync(trackingNo, "accept"));

        var refusedToUnit = await community.ActAsync(trackingNo, "reassign", new { reason = "x" });
        var back = await dispatcher.ActAsync(trackingNo, "reassign", new { reason = "部门推诿，收回" });
        var departmentNow = await department.GetAsync($"/api/staff/complaints/{trackingNo}");
        var onward = await dispatcher.ActAsync(trackingNo, "reassign", new { reason = "改派社区就近处理", target = new { level = "community", code = "gongyuanmen" } });
        var timeline = (await StaffViewAsync(dispatcher, trackingNo)).GetProperty("timeline").EnumerateArray().ToList();
        var residentView = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}");

        await OkAsync(back);
        await OkAsync(onward);
        Assert.Multiple(() =>
        {
            Assert.That(refusedToUnit.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(departmentNow.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the department no longer holds it");
            Assert.That(timeline.Count(e => e.GetProperty("kind").GetString() == "reassigned"), Is.EqualTo(2));
            Assert.That(timeline.Where(e => e.GetProperty("kind").GetString() == "reassigned").Select(e => e.GetProperty("actor").GetProperty("name").GetString()),
                Has.All.EqualTo("调度张"));
            Assert.That(timeline.Where(e => e.GetProperty("kind").GetString() == "note").Select(e => e.GetProperty("note").GetString()),
                Is.SupersetOf(new[] { "部门推诿，收回", "改派社区就近处理" }));
            Assert.That(residentView.GetRawText(), Does.Not.Contain("部门推诿"), "the reason is internal");
            Assert.That(app.Case(trackingNo).HandlingLevel, Is.EqualTo("community"));
        });
    }

    [Test]
    public async Task CallBacks_UnratedCaseIsQueued_TheCentersAnswerRatesIt_AndCountsInTheStatistics()
    {
        // Its own app: the rating window passes on this app's clock only, which starts in the past so that the binding
        // codes made on the system clock are still good when it has moved on.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - ComplaintMachine.EvaluationWindow - TimeSpan.FromDays(1));
        await using var app = new LianApiFactory(configureTestServices: s => FakeClock.Use(s, clock));
        var resident = await app.LoginAsync("callback-resident");
        var community = await app.StaffAsync("callback-community", "community", "gongyuanmen");
        var dispatcher = await app.StaffAsync("callback-dispatcher", "dispatcher", null);
        var trackingNo = await resident.FileAsync();
        await OkAsync(await community.ActAsync(trackingNo, "accept"));
        await OkAsync(await community.ActAsync(trackingNo, "resolve", new { reply = "已修好" }));
        clock.Advance(ComplaintMachine.EvaluationWindow + TimeSpan.FromHours(1));
        await app.Service<DeadlineSweep>().RunOnceAsync(CancellationToken.None);
        // A week later the tokens have expired: the center's operator and the community log in anew.
        dispatcher = await app.StaffAsync("callback-dispatcher-later", "dispatcher", null);
        community = await app.StaffAsync("callback-community-later", "community", "gongyuanmen");

        var forbidden = await community.GetAsync("/api/staff/call-backs");
        var queue = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/call-backs?limit=50");
        var queued = queue.GetProperty("items").EnumerateArray().SingleOrDefault(i => i.GetProperty("case").GetProperty("trackingNo").GetString() == trackingNo);
        var answer = await dispatcher.ActAsync(trackingNo, "evaluate-by-phone", new { resolved = true, satisfaction = "basically_satisfied", comment = "电话里说修好了" });
        var after = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/call-backs?limit=50");
        var stats = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats");
        var row = stats.GetProperty("callBacks").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "gongyuanmen");

        await OkAsync(answer);
        Assert.Multiple(() =>
        {
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(queued.ValueKind, Is.EqualTo(JsonValueKind.Object), "the unrated case is in the queue");
            Assert.That(queued.GetProperty("reason").GetString(), Is.EqualTo("not_rated"));
            Assert.That(Allowed(queued.GetProperty("case")), Does.Contain("evaluate-by-phone"));
            Assert.That(after.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("case").GetProperty("trackingNo").GetString()), Does.Not.Contain(trackingNo));
            Assert.That(app.Case(trackingNo).LastSatisfaction, Is.EqualTo("basically_satisfied"), "the answer is the case's rating");
            Assert.That(row.GetProperty("calledBack").GetInt32(), Is.GreaterThanOrEqualTo(1));
            Assert.That(row.GetProperty("callBackRate").GetDouble(), Is.GreaterThan(0));
            Assert.That(row.GetProperty("basicallySatisfied").GetInt32(), Is.GreaterThanOrEqualTo(1));
        });
    }
}
