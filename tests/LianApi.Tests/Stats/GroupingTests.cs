using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Data;
using LianApi.Stats;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Stats;

/// <summary>
/// By channel and by grid, by hand: two residents' own reports in 贡院门社区 and one in 大兴东路社区 (mini-program), and two
/// 敲门行动 reports a community worker of 贡院门社区 recorded, both in grid 一网格 — one of them accepted.
/// </summary>
public sealed class GroupingTests
{
    private LianApiFactory app = null!;
    private HttpClient dispatcher = null!;
    private HttpClient street = null!;
    private HttpClient community = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task File()
    {
        app = new LianApiFactory();
        await app.AddGridsAsync("gongyuanmen", ("gym-one", "一网格"), ("gym-two", "二网格"));
        await app.AddDepartmentsAsync(("grouping-dept", "区城管局"));
        dispatcher = await app.StaffAsync("grouping-dispatcher", "dispatcher", null);
        street = await app.StaffAsync("grouping-street", "street", "beiyuanmen");
        community = await app.StaffAsync("grouping-community", "community", "gongyuanmen");
        for (var i = 0; i < 3; i++)
        {
            using var resident = await app.LoginAsync($"grouping-resident-{i}");
            (await resident.SubmitAsync(Requests.Complaint(community: i < 2 ? "gongyuanmen" : "daxingdonglu"))).EnsureSuccessStatusCode();
        }
        var recorded = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/staff/complaints")
            {
                Content = JsonContent.Create(new
                {
                    channel = "door_knock", communityCode = "gongyuanmen", gridCode = "gym-one", categoryCode = "property",
                    description = "楼道堆放杂物，老人进出不便", callbackWanted = false,
                }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            var response = await community.SendAsync(request, Ct);
            Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync(Ct));
            recorded.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("trackingNo").GetString()!);
        }
        await community.ActAsync(recorded[0], "accept");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        dispatcher.Dispose();
        street.Dispose();
        community.Dispose();
        await app.DisposeAsync();
    }

    private static async Task<Dictionary<string, (string Name, int Received)>> GroupsAsync(HttpClient staff, string groupBy) =>
        (await staff.GetFromJsonAsync<JsonElement>($"/api/staff/stats?groupBy={groupBy}", Ct)).GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("key").GetString()!, g => (g.GetProperty("name").GetString()!, g.GetProperty("received").GetInt32()));

    [Test]
    public async Task ByChannel_敲门行动BesideTheMiniProgram_InEachScope()
    {
        var district = await GroupsAsync(dispatcher, "channel");
        var inStreet = await GroupsAsync(street, "channel");
        var inCommunity = await GroupsAsync(community, "channel");

        Assert.Multiple(() =>
        {
            Assert.That(district, Is.EquivalentTo(new Dictionary<string, (string, int)> { ["miniprogram"] = ("小程序", 3), ["door_knock"] = ("敲门行动", 2) }));
            // 大兴东路社区 is in another street.
            Assert.That(inStreet, Is.EquivalentTo(new Dictionary<string, (string, int)> { ["miniprogram"] = ("小程序", 2), ["door_knock"] = ("敲门行动", 2) }));
            Assert.That(inCommunity, Is.EquivalentTo(inStreet));
        });
    }

    [Test]
    public async Task ByGrid_OnlyCasesInAGrid_WithTheGridsName()
    {
        var district = await GroupsAsync(dispatcher, "grid");
        var inCommunity = await GroupsAsync(community, "grid");

        Assert.Multiple(() =>
        {
            Assert.That(district, Is.EquivalentTo(new Dictionary<string, (string, int)> { ["gym-one"] = ("一网格", 2) }), "二网格 has no case");
            Assert.That(inCommunity, Is.EquivalentTo(district));
        });
    }

    [Test]
    public async Task ADepartment_IsToldHowItsFiguresGroup()
    {
        using var department = await app.StaffAsync("grouping-department", "department", "grouping-dept");
        var response = await department.GetAsync("/api/staff/stats?groupBy=channel", Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").GetProperty("groupBy")[0].GetString(), Does.StartWith("部门的统计可按街道、社区、部门、类别或时间分组"));
    }

    [Test]
    public async Task TheRollupsEqualARecount_AndADatabaseWithoutTheChannelRowsGetsThemAtStart()
    {
        var store = app.Service<StatsStore>();
        var differences = await store.VerifyAsync(Ct);
        await app.Service<Database>().WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM StatsRollups WHERE Dimension LIKE 'community_channel%' OR Dimension LIKE 'grid%'", transaction: tx, cancellationToken: Ct)), Ct);
        var needed = await store.NeedsBackfillAsync(Ct);
        await store.RebuildAsync(Ct);

        Assert.Multiple(async () =>
        {
            Assert.That(differences, Is.Empty, "kept by every write, as a recount finds them");
            Assert.That(needed, Is.True, "the rows by channel missing: rebuilt at the next start (StatsBackfill)");
            Assert.That(await store.NeedsBackfillAsync(Ct), Is.False);
            Assert.That((await GroupsAsync(dispatcher, "channel"))["door_knock"].Received, Is.EqualTo(2));
        });
    }
}
