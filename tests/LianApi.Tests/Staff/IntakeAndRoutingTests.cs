using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Data;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>
/// Issue 12 through real HTTP: reports recorded on a resident's behalf (volunteers, channels), grid workers and
/// assign, whistles to paired departments (吹哨报到) and the call back (evaluate-by-phone). One app for the fixture;
/// every test files its own cases. 贡院门社区 has grids gym-g1 and gym-g2 and is paired with 测试结对局; 大兴东路社区
/// has grid dxd-g1.
/// </summary>
public sealed class IntakeAndRoutingTests
{
    private static LianApiFactory app = null!;
    private static HttpClient community = null!, street = null!, gridWorker1 = null!, gridWorker2 = null!, otherGridWorker = null!;
    private static HttpClient volunteerA = null!, volunteerB = null!, pairedDepartment = null!, otherDepartment = null!, dispatcher = null!, resident = null!;

    [OneTimeSetUp]
    public static async Task CreateOrgAndStaff()
    {
        app = new LianApiFactory();
        await app.AddDepartmentsAsync(("intake-paired", "测试结对局"), ("intake-unpaired", "测试未结对局"));
        await app.AddGridsAsync("gongyuanmen", ("gym-g1", "贡院门第一网格"), ("gym-g2", "贡院门第二网格"));
        await app.AddGridsAsync("daxingdonglu", ("dxd-g1", "大兴东路第一网格"));
        await app.PairAsync("intake-paired", "gongyuanmen");
        community = await app.StaffAsync("intake-community", "community", "gongyuanmen");
        street = await app.StaffAsync("intake-street", "street", "beiyuanmen");
        gridWorker1 = await app.StaffAsync("intake-grid-1", "community", "gongyuanmen", "gym-g1", name: "网格员甲");
        gridWorker2 = await app.StaffAsync("intake-grid-2", "community", "gongyuanmen", "gym-g2", name: "网格员乙");
        otherGridWorker = await app.StaffAsync("intake-grid-dxd", "community", "daxingdonglu", "dxd-g1", name: "网格员丙");
        volunteerA = await app.StaffAsync("intake-volunteer-a", "volunteer", "gongyuanmen", name: "志愿者甲");
        volunteerB = await app.StaffAsync("intake-volunteer-b", "volunteer", "gongyuanmen", name: "志愿者乙");
        pairedDepartment = await app.StaffAsync("intake-dept-paired", "department", "intake-paired");
        otherDepartment = await app.StaffAsync("intake-dept-unpaired", "department", "intake-unpaired");
        dispatcher = await app.StaffAsync("intake-dispatcher", "dispatcher", null);
        resident = await app.LoginAsync("intake-resident");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    private static object DoorKnock(string community = "gongyuanmen", string? grid = null, string? phone = "13700001234", string? name = "王阿姨") => new
    {
        channel = "door_knock", communityCode = community, gridCode = grid, categoryCode = "property",
        description = "楼道堆放杂物，老人进出不便", residentName = name, residentPhone = phone, callbackWanted = true,
    };

    private static Task<HttpResponseMessage> RecordAsync(HttpClient staff, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/staff/complaints") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return staff.SendAsync(request);
    }

    private static async Task<string> RecordedAsync(HttpClient staff, object body)
    {
        var response = await RecordAsync(staff, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    private static async Task<string> FiledInGridAsync(string grid)
    {
        var response = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "垃圾桶满了没人清运", gridCode = grid });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    private static async Task<List<string>> InboxAsync(HttpClient staff, string query = "")
    {
        var page = await staff.GetFromJsonAsync<JsonElement>("/api/staff/complaints?limit=50" + query);
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()!).ToList();
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<long> StaffIdAsync(string name) =>
        (await app.Service<StaffStore>().ListAsync(CancellationToken.None)).Single(s => s.Name == name).Id;

    [Test]
    public async Task Volunteer_RecordsAReportWithTheirPhotos_AnotherUsersPhotoIs422AndLeavesNoReport()
    {
        async Task<string> Upload(HttpClient client)
        {
            var response = await client.PostAsync("/api/photos", Photos.TestImages.Form(Photos.TestImages.Jpeg(320, 240)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        var taken = await Upload(volunteerA);
        var someoneElses = await Upload(resident);
        var before = (await InboxAsync(volunteerA)).Count;

        var recorded = await RecordedAsync(volunteerA, new
        {
            channel = "door_knock", communityCode = "gongyuanmen", categoryCode = "property", description = "楼道灯坏了，拍了照片", photoIds = new[] { taken },
        });
        var detail = await OkAsync(await volunteerA.GetAsync($"/api/staff/complaints/{recorded}"));
        var refused = await RecordAsync(volunteerA, new
        {
            channel = "door_knock", communityCode = "gongyuanmen", categoryCode = "property", description = "用了别人的照片", photoIds = new[] { someoneElses },
        });

        var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.UnprocessableEntity);
        Assert.Multiple(async () =>
        {
            Assert.That(detail.GetProperty("photos").EnumerateArray().Select(p => p.GetProperty("id").GetString()), Is.EqualTo(new[] { taken }));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("photo_not_attachable"));
            Assert.That(await InboxAsync(volunteerA), Has.Count.EqualTo(before + 1), "the refused report left nothing behind");
        });
    }

    [Test]
    public async Task Volunteer_RecordsADoorKnockReport_AndSeesOnlyTheirOwn()
    {
        var key = Guid.NewGuid().ToString();
        var first = await RecordAsync(volunteerA, DoorKnock(grid: "gym-g1"), key);
        var replay = await RecordAsync(volunteerA, DoorKnock(grid: "gym-g1"), key);
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        var mine = created.GetProperty("trackingNo").GetString()!;
        var theirs = await RecordedAsync(volunteerB, DoorKnock(phone: null, name: null));
        var residents = await resident.FileAsync();

        var inbox = await InboxAsync(volunteerA);
        var own = await OkAsync(await volunteerA.GetAsync($"/api/staff/complaints/{mine}"));
        var other = await volunteerA.GetAsync($"/api/staff/complaints/{theirs}");
        var accept = await volunteerA.ActAsync(mine, "accept");
        var note = await volunteerA.ActAsync(mine, "note", new { note = "志愿者补充" });
        var residentList = await volunteerA.GetStringAsync("/api/complaints/mine");
        var communityInbox = await community.GetFromJsonAsync<JsonElement>("/api/staff/complaints?limit=50");

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(first.Headers.Location?.ToString(), Is.EqualTo($"/api/staff/complaints/{mine}"));
            Assert.That(created.GetProperty("channel").GetString(), Is.EqualTo("door_knock"));
            Assert.That(created.GetProperty("recordedByStaff").GetBoolean(), Is.True);
            Assert.That(created.GetProperty("callbackWanted").GetBoolean(), Is.True);
            Assert.That(created.GetProperty("grid").GetProperty("code").GetString(), Is.EqualTo("gym-g1"));
            Assert.That(created.GetProperty("contactPhone").GetString(), Is.EqualTo("137****1234"));
            Assert.That(created.GetProperty("level").GetString(), Is.EqualTo("community"));
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(replay.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString(), Is.EqualTo(mine));

            Assert.That(inbox, Does.Contain(mine).And.Not.Contain(theirs).And.Not.Contain(residents), "a volunteer's inbox is the reports they recorded");
            Assert.That(own.GetProperty("status").GetString(), Is.EqualTo("submitted"));
            await ProblemAssert.IsProblem(other, HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(accept, HttpStatusCode.Forbidden);
            await ProblemAssert.IsProblem(note, HttpStatusCode.Forbidden);
            Assert.That(residentList, Does.Not.Contain(mine), "a recorded report is nobody's own report in the mini-program");

            var item = communityInbox.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("trackingNo").GetString() == mine);
            Assert.That(item.GetProperty("channel").GetString(), Is.EqualTo("door_knock"));
            Assert.That(item.GetProperty("contactPhone").GetString(), Is.EqualTo("137****1234"));
        });
    }

    [Test]
    public async Task RecordedReport_ContactCall_GivesTheHandlerThePhoneAndTheAgreedName()
    {
        var trackingNo = await RecordedAsync(volunteerA, DoorKnock());

        var contact = await OkAsync(await community.PostAsync($"/api/staff/complaints/{trackingNo}/contact", null));
        var detail = await community.GetStringAsync($"/api/staff/complaints/{trackingNo}");

        Assert.Multiple(() =>
        {
            Assert.That(contact.GetProperty("phone").GetString(), Is.EqualTo("13700001234"));
            Assert.That(contact.GetProperty("name").GetString(), Is.EqualTo("王阿姨"));
            Assert.That(detail, Does.Not.Contain("王阿姨").And.Not.Contain("13700001234"), "the name and the number only through the audited call");
        });
    }

    [Test]
    public async Task Record_OutsideTheCallersUnitOrByAnotherRole_IsRefused()
    {
        var otherCommunity = await RecordAsync(volunteerA, DoorKnock(community: "daxingdonglu"));
        var streetInOwnStreet = await RecordAsync(street, DoorKnock());
        var streetElsewhere = await RecordAsync(street, DoorKnock(community: "daxingdonglu"));
        var byDepartment = await RecordAsync(pairedDepartment, DoorKnock());
        var foreignGrid = await RecordAsync(community, DoorKnock(grid: "dxd-g1"));
        var miniprogram = await RecordAsync(community, new { channel = "miniprogram", communityCode = "gongyuanmen", categoryCode = "property", description = "楼道堆放杂物" });
        var withoutKey = await community.PostAsJsonAsync("/api/staff/complaints", DoorKnock());
        var keyReused = Guid.NewGuid().ToString();
        await RecordAsync(community, DoorKnock(), keyReused);
        var otherText = await RecordAsync(community, DoorKnock(name: "李师傅"), keyReused);

        Assert.Multiple(async () =>
        {
            Assert.That((await ProblemAssert.IsProblem(otherCommunity, HttpStatusCode.Forbidden)).GetProperty("code").GetString(), Is.EqualTo("outside_unit"));
            Assert.That(streetInOwnStreet.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            await ProblemAssert.IsProblem(streetElsewhere, HttpStatusCode.Forbidden);
            await ProblemAssert.IsProblem(byDepartment, HttpStatusCode.Forbidden);
            Assert.That((await ProblemAssert.IsProblem(foreignGrid, (HttpStatusCode)422)).GetProperty("code").GetString(), Is.EqualTo("unknown_grid"));
            await ProblemAssert.IsProblem(miniprogram, HttpStatusCode.BadRequest);
            await ProblemAssert.IsProblem(withoutKey, HttpStatusCode.BadRequest);
            Assert.That((await ProblemAssert.IsProblem(otherText, (HttpStatusCode)422)).GetProperty("code").GetString(), Is.EqualTo("idempotency_key_reused"));
        });
    }

    [Test]
    public async Task GridWorker_SeesAndActsOnTheirGridOnly()
    {
        var inGrid1 = await FiledInGridAsync("gym-g1");
        var inGrid2 = await FiledInGridAsync("gym-g2");
        var landing = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/communities/gongyuanmen");

        var inbox = await InboxAsync(gridWorker1);
        var other = await gridWorker1.GetAsync($"/api/staff/complaints/{inGrid2}");
        var acceptOther = await gridWorker1.ActAsync(inGrid2, "accept");
        var accept = await gridWorker1.ActAsync(inGrid1, "accept");
        var resolve = await gridWorker1.ActAsync(inGrid1, "resolve", new { reply = "已清运" });
        var foreign = await otherGridWorker.GetAsync($"/api/staff/complaints/{inGrid1}");

        Assert.Multiple(async () =>
        {
            Assert.That(landing.GetProperty("grids").EnumerateArray().Select(g => g.GetProperty("code").GetString()), Is.EqualTo(new[] { "gym-g1", "gym-g2" }));
            Assert.That(inbox, Does.Contain(inGrid1).And.Not.Contain(inGrid2));
            await ProblemAssert.IsProblem(other, HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(acceptOther, HttpStatusCode.NotFound);
            Assert.That((await OkAsync(accept)).GetProperty("status").GetString(), Is.EqualTo("accepted"));
            Assert.That((await OkAsync(resolve)).GetProperty("status").GetString(), Is.EqualTo("resolved"));
            await ProblemAssert.IsProblem(foreign, HttpStatusCode.NotFound);
            Assert.That(await InboxAsync(otherGridWorker), Does.Not.Contain(inGrid1).And.Not.Contain(inGrid2));
        });
    }

    [Test]
    public async Task Submit_GridOfAnotherCommunity_Is422UnknownGrid()
    {
        var response = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "垃圾桶满了没人清运", gridCode = "dxd-g1" });

        Assert.That((await ProblemAssert.IsProblem(response, (HttpStatusCode)422)).GetProperty("code").GetString(), Is.EqualTo("unknown_grid"));
    }

    [Test]
    public async Task Assign_WithinTheCommunityOnly_AndTheGridWorkerThenHandlesIt()
    {
        var trackingNo = await FiledInGridAsync("gym-g2");
        var worker1 = await StaffIdAsync("网格员甲");
        var foreignWorker = await StaffIdAsync("网格员丙");

        var toForeign = await community.ActAsync(trackingNo, "assign", new { assigneeId = foreignWorker });
        var toNobody = await community.ActAsync(trackingNo, "assign", new { assigneeId = 999999 });
        var withoutAssignee = await community.ActAsync(trackingNo, "assign", new { });
        var byForeignWorker = await otherGridWorker.ActAsync(trackingNo, "assign", new { assigneeId = foreignWorker });
        var byStreet = await street.ActAsync(trackingNo, "assign", new { assigneeId = worker1 });
        var assigned = await OkAsync(await community.ActAsync(trackingNo, "assign", new { assigneeId = worker1, note = "甲熟悉这栋楼" }));
        var inbox = await InboxAsync(gridWorker1);
        var accepted = await gridWorker1.ActAsync(trackingNo, "accept");

        Assert.Multiple(async () =>
        {
            Assert.That((await ProblemAssert.IsProblem(toForeign, (HttpStatusCode)422)).GetProperty("code").GetString(), Is.EqualTo("unknown_assignee"));
            await ProblemAssert.IsProblem(toNobody, (HttpStatusCode)422);
            await ProblemAssert.IsProblem(withoutAssignee, HttpStatusCode.BadRequest);
            await ProblemAssert.IsProblem(byForeignWorker, HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(byStreet, HttpStatusCode.Forbidden);
            Assert.That(assigned.GetProperty("assignedTo").GetString(), Is.EqualTo("网格员甲"));
            Assert.That(assigned.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()), Does.Contain("assigned"));
            Assert.That(inbox, Does.Contain(trackingNo), "an assigned case is in the grid worker's inbox whatever its grid");
            Assert.That((await OkAsync(accepted)).GetProperty("status").GetString(), Is.EqualTo("accepted"));
        });
    }

    [Test]
    public async Task Whistle_ToAPairedDepartment_ReachesItsInbox_AndItsAcceptIsTheReport()
    {
        var trackingNo = await resident.FileAsync();
        await community.ActAsync(trackingNo, "accept");

        var unpaired = await community.ActAsync(trackingNo, "whistle", new { reason = "需要执法", target = new { level = "department", code = "intake-unpaired" } });
        var noTarget = await community.ActAsync(trackingNo, "whistle", new { reason = "需要执法" });
        var notHolder = await street.ActAsync(trackingNo, "whistle", new { reason = "需要执法", target = new { level = "department", code = "intake-paired" } });
        var whistled = await OkAsync(await community.ActAsync(trackingNo, "whistle", new { reason = "占道经营需要执法", target = new { level = "department", code = "intake-paired" } }));
        var departmentInbox = await InboxAsync(pairedDepartment);
        var centerWhistles = await InboxAsync(dispatcher, "&whistled=true");
        var otherDepartmentView = await otherDepartment.GetAsync($"/api/staff/complaints/{trackingNo}");
        var reported = await OkAsync(await pairedDepartment.ActAsync(trackingNo, "accept"));
        var residentView = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}");

        Assert.Multiple(async () =>
        {
            Assert.That((await ProblemAssert.IsProblem(unpaired, (HttpStatusCode)422)).GetProperty("code").GetString(), Is.EqualTo("not_paired"));
            await ProblemAssert.IsProblem(noTarget, HttpStatusCode.BadRequest);
            await ProblemAssert.IsProblem(notHolder, HttpStatusCode.Conflict);
            Assert.That(whistled.GetProperty("level").GetString(), Is.EqualTo("department"));
            Assert.That(whistled.GetProperty("whistlePending").GetBoolean(), Is.True);
            Assert.That(departmentInbox, Does.Contain(trackingNo));
            Assert.That(centerWhistles, Does.Contain(trackingNo), "the dispatch center sees every whistle");
            await ProblemAssert.IsProblem(otherDepartmentView, HttpStatusCode.NotFound);
            Assert.That(reported.GetProperty("whistlePending").GetBoolean(), Is.False);
            Assert.That(reported.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()),
                Is.SupersetOf(new[] { "whistled", "received", "accepted", "reported" }));
            Assert.That(residentView.Kinds(), Does.Contain("whistled").And.Contain("reported"));
            Assert.That(residentView.ToString(), Does.Not.Contain("占道经营需要执法"), "the whistle's reason is internal");
        });
    }

    [Test]
    public async Task Whistle_NotYetReported_TheDispatchCenterRedirectsIt()
    {
        var trackingNo = await resident.FileAsync();
        await OkAsync(await community.ActAsync(trackingNo, "whistle", new { reason = "需要部门处理", target = new { level = "department", code = "intake-paired" } }));

        var redirected = await OkAsync(await dispatcher.ActAsync(trackingNo, "dispatch", new { target = new { level = "department", code = "intake-unpaired" } }));

        Assert.Multiple(async () =>
        {
            Assert.That(redirected.GetProperty("whistlePending").GetBoolean(), Is.False);
            Assert.That(await InboxAsync(otherDepartment), Does.Contain(trackingNo));
            Assert.That(await InboxAsync(pairedDepartment), Does.Not.Contain(trackingNo));
        });
    }

    [Test]
    public async Task StaffCommunity_ListsGridsGridWorkersAndPairedDepartments_InScopeOnly()
    {
        var own = await OkAsync(await community.GetAsync("/api/staff/communities/gongyuanmen"));
        var byPaired = await pairedDepartment.GetAsync("/api/staff/communities/gongyuanmen");
        var byUnpaired = await otherDepartment.GetAsync("/api/staff/communities/gongyuanmen");
        var otherCommunity = await community.GetAsync("/api/staff/communities/daxingdonglu");

        Assert.Multiple(async () =>
        {
            Assert.That(own.GetProperty("pairedDepartments").EnumerateArray().Select(d => d.GetProperty("code").GetString()), Is.EqualTo(new[] { "intake-paired" }));
            Assert.That(own.GetProperty("grids").GetArrayLength(), Is.EqualTo(2));
            Assert.That(own.GetProperty("gridWorkers").EnumerateArray().Select(w => w.GetProperty("name").GetString()), Is.EquivalentTo(new[] { "网格员甲", "网格员乙" }));
            Assert.That(byPaired.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            await ProblemAssert.IsProblem(byUnpaired, HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(otherCommunity, HttpStatusCode.NotFound);
        });
    }

    [TestCase(true, "satisfied", "closed", 0)]
    [TestCase(true, "basically_satisfied", "closed", 0)]
    [TestCase(true, "unsatisfied", "in_progress", 1)]
    [TestCase(false, "satisfied", "in_progress", 1)]
    public async Task EvaluateByPhone_ClosesOrReopensLikeTheResidentsOwnRating(bool resolved, string satisfaction, string status, int reopens)
    {
        var trackingNo = await RecordedAsync(volunteerA, DoorKnock());
        await OkAsync(await community.ActAsync(trackingNo, "accept"));
        var early = await community.ActAsync(trackingNo, "evaluate-by-phone", new { resolved, satisfaction });
        await OkAsync(await community.ActAsync(trackingNo, "resolve", new { reply = "杂物已清理" }));
        var incomplete = await community.ActAsync(trackingNo, "evaluate-by-phone", new { resolved });
        var byVolunteer = await volunteerA.ActAsync(trackingNo, "evaluate-by-phone", new { resolved, satisfaction });

        var rated = await OkAsync(await community.ActAsync(trackingNo, "evaluate-by-phone", new { resolved, satisfaction, comment = "电话回访：居民表示" }));
        var again = await community.ActAsync(trackingNo, "evaluate-by-phone", new { resolved, satisfaction });
        var byPhone = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT e.ByPhone FROM ComplaintEvaluations e JOIN Complaints c ON c.Id = e.ComplaintId WHERE c.TrackingNo = @TrackingNo",
            new { TrackingNo = trackingNo }), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            await ProblemAssert.IsProblem(early, HttpStatusCode.Conflict);
            await ProblemAssert.IsProblem(incomplete, HttpStatusCode.BadRequest);
            await ProblemAssert.IsProblem(byVolunteer, HttpStatusCode.Forbidden);
            Assert.That(rated.GetProperty("status").GetString(), Is.EqualTo(status));
            Assert.That(rated.GetProperty("reopenCount").GetInt32(), Is.EqualTo(reopens));
            Assert.That(rated.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()),
                Does.Contain("evaluated_by_phone").And.Contain(reopens == 0 ? "closed" : "reopened").And.Not.Contain("evaluated"));
            Assert.That(byPhone, Is.EqualTo(1), "counted as an evaluation, marked as by phone");
            await ProblemAssert.IsProblem(again, HttpStatusCode.Conflict);
        });
    }

    [Test]
    public async Task EvaluateByPhone_OnTheResidentsOwnReport_Is409()
    {
        var trackingNo = await resident.FileAsync();
        await community.ActAsync(trackingNo, "accept");
        await community.ActAsync(trackingNo, "resolve", new { reply = "已处理" });

        var response = await community.ActAsync(trackingNo, "evaluate-by-phone", new { resolved = true, satisfaction = "satisfied" });

        await ProblemAssert.IsProblem(response, HttpStatusCode.Conflict);
    }
}

/// <summary>A department that does not report (accept) a whistle within the category's response hours: the sweep escalates it, on a fake clock.</summary>
public sealed class WhistleSweepTests
{
    [Test]
    public async Task Sweep_DepartmentDidNotReportInTime_EscalatesToTheDispatchCenterAsAnOverdueWhistle()
    {
        // Tokens are checked on the system clock: everyone logs in before the fake clock moves.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new LianApiFactory(configureServices: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(s, clock));
        await app.AddDepartmentsAsync(("sweep-paired", "测试结对局"));
        await app.PairAsync("sweep-paired", "gongyuanmen");
        var community = await app.StaffAsync("whistle-community", "community", "gongyuanmen");
        var department = await app.StaffAsync("whistle-department", "department", "sweep-paired");
        var resident = await app.LoginAsync("whistle-resident");
        // 供水排水: 4 response hours, so the fake clock steps through few of the background sweep's minute ticks.
        var trackingNo = await resident.FileAsync(category: "water");
        var whistle = await community.ActAsync(trackingNo, "whistle", new { reason = "需要部门处理", target = new { level = "department", code = "sweep-paired" } });
        Assert.That(whistle.StatusCode, Is.EqualTo(HttpStatusCode.OK), await whistle.Content.ReadAsStringAsync());
        var whistled = app.Case(trackingNo);

        clock.Advance(TimeSpan.FromHours(whistled.ResponseHours) + TimeSpan.FromMinutes(1));
        await app.Service<LianApi.Complaints.DeadlineSweep>().RunOnceAsync(CancellationToken.None);
        var swept = app.Case(trackingNo);
        var kinds = (await community.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}")).Kinds();
        var late = await department.ActAsync(trackingNo, "accept");

        Assert.Multiple(async () =>
        {
            Assert.That(whistled.ResponseDueAt, Is.EqualTo(whistled.ReceivedAt.AddHours(whistled.ResponseHours)), "the department has the category's response hours");
            Assert.That(swept.HandlingLevel, Is.EqualTo(LianApi.Shared.HandlingLevel.District));
            Assert.That(swept.IsSupervised, Is.True, "督办");
            Assert.That(swept.WhistlePending, Is.False);
            Assert.That(kinds, Has.Exactly(1).EqualTo("whistle_overdue"));
            Assert.That(kinds[^1], Is.EqualTo("received"));
            await ProblemAssert.IsProblem(late, HttpStatusCode.NotFound);
        });
    }
}
