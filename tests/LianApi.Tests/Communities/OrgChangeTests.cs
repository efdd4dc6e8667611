using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Communities;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Communities;

/// <summary>
/// The org verbs (move, retire, unpair) run through the entry point on a running app's database, and their effects
/// seen the way residents and staff see them: through HTTP. One app for the fixture; each test changes its own units.
/// </summary>
public sealed class OrgChangeTests
{
    private static LianApiFactory app = null!;
    private static HttpClient resident = null!, dispatcher = null!, zaoyuan = null!, gongyuanmen = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public static async Task StartApp()
    {
        app = new LianApiFactory();
        await app.AddDepartmentsAsync(("org-kept", "测试保留局"), ("org-retired", "测试撤销局"), ("org-unpaired", "测试解除结对局"));
        await app.PairAsync("org-kept", "gongyuanmen");
        await app.PairAsync("org-retired", "gongyuanmen");
        await app.PairAsync("org-unpaired", "gongyuanmen");
        await app.AddGridsAsync("gongyuanmen", ("org-g-kept", "贡院门保留网格"), ("org-g-retired", "贡院门撤销网格"));
        resident = await app.LoginAsync("org-resident");
        dispatcher = await app.StaffAsync("org-dispatcher", "dispatcher", null);
        zaoyuan = await app.StaffAsync("org-zaoyuan", "community", "zaoyuanxilu");
        gongyuanmen = await app.StaffAsync("org-gongyuanmen", "community", "gongyuanmen");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task RetireCommunity_WithSuccessor_RefusesNewReportsSaysWhereToGoAndKeepsItsCasesCounted()
    {
        var before = await resident.SubmitAsync(Requests.Complaint(community: "zaoyuanxilu"));
        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Created), await before.Content.ReadAsStringAsync(Ct));

        var exit = await app.RunVerbAsync("org", "retire", "community", "zaoyuanxilu", "--successor", "daxingdonglu");

        var submitted = await resident.SubmitAsync(Requests.Complaint(community: "zaoyuanxilu"));
        var recorded = await RecordAsync(zaoyuan, "zaoyuanxilu");
        var landing = await resident.GetFromJsonAsync<JsonElement>("/api/communities/zaoyuanxilu", Ct);
        var listed = await resident.GetFromJsonAsync<JsonElement>("/api/communities", Ct);
        var stats = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats?level=community&code=zaoyuanxilu", Ct);
        var changes = await app.Service<OrgChangeStore>().ListAsync(Ct);
        Assert.Multiple(async () =>
        {
            Assert.That(exit, Is.Zero);
            var refused = await ProblemAssert.IsProblem(submitted, HttpStatusCode.UnprocessableContent);
            Assert.That(refused.GetProperty("code").GetString(), Is.EqualTo("community_retired"));
            Assert.That(refused.GetProperty("errors").GetProperty("communityCode")[0].GetString(), Does.Contain("大兴东路社区"), "the refusal names where to report instead");
            Assert.That((await ProblemAssert.IsProblem(recorded, HttpStatusCode.UnprocessableContent)).GetProperty("code").GetString(), Is.EqualTo("community_retired"),
                "staff cannot record a report there either");
            var retired = landing.GetProperty("retired");
            Assert.That(retired.GetProperty("reportInstead").GetProperty("level").GetString(), Is.EqualTo("community"));
            Assert.That(retired.GetProperty("reportInstead").GetProperty("code").GetString(), Is.EqualTo("daxingdonglu"));
            Assert.That(retired.GetProperty("notice").GetString(), Does.Contain("枣园西路社区已撤并").And.Contain("大兴东路社区"));
            Assert.That(listed.EnumerateArray().Select(c => c.GetProperty("code").GetString()), Does.Not.Contain("zaoyuanxilu"), "residents no longer pick it");
            Assert.That(stats.GetProperty("total").GetProperty("received").GetInt32(), Is.EqualTo(1), "its case still counts");
            Assert.That(changes.Select(c => (c.Change, c.Detail)), Has.One.Matches<(string Change, string Detail)>(c => c.Change == "retire" && c.Detail.Contains("zaoyuanxilu")));
        });
    }

    [Test]
    public async Task RetireCommunity_WithoutSuccessor_NamesItsStreetOffice()
    {
        var exit = await app.RunVerbAsync("org", "retire", "community", "huiminbeifang");
        var again = await app.RunVerbAsync("org", "retire", "community", "huiminbeifang");

        var landing = await resident.GetFromJsonAsync<JsonElement>("/api/communities/huiminbeifang", Ct);
        var instead = landing.GetProperty("retired").GetProperty("reportInstead");
        var changes = await app.Service<OrgChangeStore>().ListAsync(Ct);
        Assert.Multiple(() =>
        {
            Assert.That((exit, again), Is.EqualTo((0, 0)));
            Assert.That(instead.GetProperty("level").GetString(), Is.EqualTo("street"));
            Assert.That(instead.GetProperty("code").GetString(), Is.EqualTo("tumen"));
            Assert.That(landing.GetProperty("grids").GetArrayLength(), Is.Zero);
            Assert.That(changes.Count(c => c.Detail.Contains("huiminbeifang")), Is.EqualTo(1), "retiring twice records one change");
        });
    }

    [Test]
    public async Task RetireGrid_ReportsNamingItAre422_AndTheLandingPageNoLongerListsIt()
    {
        var exit = await app.RunVerbAsync("org", "retire", "grid", "org-g-retired");

        var retiredGrid = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "垃圾桶满了没人清运", gridCode = "org-g-retired" });
        var keptGrid = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = "sanitation", description = "垃圾桶满了没人清运", gridCode = "org-g-kept" });
        var landing = await resident.GetFromJsonAsync<JsonElement>("/api/communities/gongyuanmen", Ct);
        Assert.Multiple(async () =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That((await ProblemAssert.IsProblem(retiredGrid, HttpStatusCode.UnprocessableContent)).GetProperty("code").GetString(), Is.EqualTo("grid_retired"));
            Assert.That(keptGrid.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(landing.GetProperty("grids").EnumerateArray().Select(g => g.GetProperty("code").GetString()),
                Does.Contain("org-g-kept").And.Not.Contain("org-g-retired"));
            Assert.That(landing.TryGetProperty("retired", out var retired) && retired.ValueKind != JsonValueKind.Null, Is.False);
        });
    }

    [Test]
    public async Task RetireDepartmentAndUnpair_WhistlesToThemAre422_TheKeptPairingStillWorks()
    {
        var retiredExit = await app.RunVerbAsync("org", "retire", "department", "org-retired");
        var unpairExit = await app.RunVerbAsync("org", "unpair", "org-unpaired", "gongyuanmen");
        var trackingNo = await AcceptedCaseAsync();

        var toRetired = await Whistle(trackingNo, "org-retired");
        var toUnpaired = await Whistle(trackingNo, "org-unpaired");
        var community = await gongyuanmen.GetFromJsonAsync<JsonElement>("/api/staff/communities/gongyuanmen", Ct);
        var toKept = await Whistle(trackingNo, "org-kept");
        Assert.Multiple(async () =>
        {
            Assert.That((retiredExit, unpairExit), Is.EqualTo((0, 0)));
            Assert.That((await ProblemAssert.IsProblem(toRetired, HttpStatusCode.UnprocessableContent)).GetProperty("code").GetString(), Is.EqualTo("unit_retired"));
            Assert.That((await ProblemAssert.IsProblem(toUnpaired, HttpStatusCode.UnprocessableContent)).GetProperty("code").GetString(), Is.EqualTo("not_paired"));
            Assert.That(community.GetProperty("pairedDepartments").EnumerateArray().Select(d => d.GetProperty("code").GetString()),
                Is.EqualTo(new[] { "org-kept" }));
            Assert.That(toKept.StatusCode, Is.EqualTo(HttpStatusCode.OK), await toKept.Content.ReadAsStringAsync(Ct));
        });
    }

    [Test]
    public async Task MoveCommunity_ToAnotherStreet_TheLandingPageShowsTheNewStreet()
    {
        var exit = await app.RunVerbAsync("org", "move", "taoyuanlu-center1", "--street", "青年路街道");
        var unknownStreet = await app.RunVerbAsync("org", "move", "taoyuanlu-center1", "--street", "nowhere");

        var landing = await resident.GetFromJsonAsync<JsonElement>("/api/communities/taoyuanlu-center1", Ct);
        var changes = await app.Service<OrgChangeStore>().ListAsync(Ct);
        Assert.Multiple(() =>
        {
            Assert.That((exit, unknownStreet), Is.EqualTo((0, 1)));
            Assert.That(landing.GetProperty("street").GetProperty("code").GetString(), Is.EqualTo("qingnianlu"));
            Assert.That(changes.Select(c => c.Detail), Has.One.Contains("桃园路街道 → 青年路街道"));
        });
    }

    [Test]
    public async Task OrgVerbs_UnknownCodes_Exit1()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await app.RunVerbAsync("org", "retire", "community", "nowhere"), Is.EqualTo(1));
            Assert.That(await app.RunVerbAsync("org", "retire", "community", "daxingdonglu", "--successor", "nowhere"), Is.EqualTo(1));
            Assert.That(await app.RunVerbAsync("org", "retire", "community", "daxingdonglu", "--successor", "daxingdonglu"), Is.EqualTo(1));
            Assert.That(await app.RunVerbAsync("org", "retire", "grid", "nowhere"), Is.EqualTo(1));
            Assert.That(await app.RunVerbAsync("org", "retire", "department", "nowhere"), Is.EqualTo(1));
            Assert.That(await app.RunVerbAsync("org", "unpair", "nowhere", "gongyuanmen"), Is.EqualTo(1));
            Assert.That(await app.RunVerbAsync("org", "changes"), Is.Zero);
        });
    }

    private static async Task<string> AcceptedCaseAsync()
    {
        var response = await resident.SubmitAsync(Requests.Complaint());
        var trackingNo = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("trackingNo").GetString()!;
        var accepted = await gongyuanmen.ActAsync(trackingNo, "accept");
        Assert.That(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync(Ct));
        return trackingNo;
    }

    private static Task<HttpResponseMessage> Whistle(string trackingNo, string department) =>
        gongyuanmen.ActAsync(trackingNo, "whistle", new { reason = "需要执法", target = new { level = "department", code = department } });

    private static Task<HttpResponseMessage> RecordAsync(HttpClient staff, string community)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/staff/complaints")
        {
            Content = JsonContent.Create(new
            {
                channel = "door_knock", communityCode = community, categoryCode = "property", description = "楼道堆放杂物，老人进出不便",
            }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return staff.SendAsync(request);
    }
}
