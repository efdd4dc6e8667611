using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Stats;

/// <summary>
/// 热点 on a fake clock, computed by hand. October 2026: 贡院门社区 环境卫生 1, 物业管理 2; 大兴东路社区 环境卫生 1.
/// November 2026: 贡院门社区 环境卫生 4 (three at "北院门123号", in grid 一网格), 物业管理 1; 大兴东路社区 环境卫生 3, 物业管理 1.
/// November against October: 贡院门 环境卫生 +3, 大兴东路 环境卫生 +2, 大兴东路 物业管理 +1; 贡院门 物业管理 fell (not listed).
/// </summary>
public sealed class HotspotsTests
{
    private static readonly Dictionary<string, string?> DayLongTokens = new()
    {
        ["Jwt:ResidentTokenLifetime"] = "1.00:00:00",
        ["Jwt:StaffTokenLifetime"] = "1.00:00:00",
    };

    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private int residents;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task File()
    {
        clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)));
        app = new LianApiFactory(DayLongTokens, configureServices: s => FakeClock.Use(s, clock));
        await app.AddGridsAsync("gongyuanmen", ("gym-1", "一网格"));
        await FileAsync("gongyuanmen", "sanitation");
        await FileAsync("gongyuanmen", "property", count: 2);
        await FileAsync("daxingdonglu", "sanitation");
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.FromHours(8)));
        await FileAsync("gongyuanmen", "sanitation", count: 3, address: "北院门123号", grid: "gym-1");
        await FileAsync("gongyuanmen", "sanitation");
        await FileAsync("gongyuanmen", "property");
        await FileAsync("daxingdonglu", "sanitation", count: 3);
        await FileAsync("daxingdonglu", "property");
    }

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private async Task FileAsync(string community, string category, int count = 1, string? address = null, string? grid = null)
    {
        for (var i = 0; i < count; i++)
        {
            using var resident = await app.LoginAsync($"hotspot-resident-{residents++}");
            var response = await resident.SubmitAsync(new
            {
                communityCode = community, categoryCode = category, description = "楼道灯坏了，晚上看不见台阶", address, gridCode = grid,
            });
            Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task District_RisingPairsMostFirst_AndTheAddressAndGridReportedThreeTimes()
    {
        using var dispatcher = await app.StaffAsync("hotspot-dispatcher", "dispatcher", null);
        var hotspots = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats/hotspots?from=2026-11-01&to=2026-11-30", Ct);
        var rising = hotspots.GetProperty("rising").EnumerateArray().Select(r => (
            r.GetProperty("community").GetProperty("name").GetString(), r.GetProperty("category").GetProperty("name").GetString(),
            r.GetProperty("received").GetInt32(), r.GetProperty("previousReceived").GetInt32(), r.GetProperty("increase").GetInt32())).ToList();
        var places = hotspots.GetProperty("repeatedPlaces").EnumerateArray().Select(p => (
            p.GetProperty("kind").GetString(), p.GetProperty("community").GetProperty("code").GetString(), p.GetProperty("place").GetString(),
            p.GetProperty("reports").GetInt32())).ToList();

        Assert.Multiple(() =>
        {
            Assert.That((hotspots.GetProperty("previousFrom").GetString(), hotspots.GetProperty("previousTo").GetString()), Is.EqualTo(("2026-10-01", "2026-10-31")));
            Assert.That(rising, Is.EqualTo(new[]
            {
                ("贡院门社区", "环境卫生", 4, 1, 3),
                ("大兴东路社区", "环境卫生", 3, 1, 2),
                ("大兴东路社区", "物业管理", 1, 0, 1),
            }));
            Assert.That(hotspots.GetProperty("placesFrom").GetString(), Is.EqualTo("2026-11-01"));
            Assert.That(places, Is.EquivalentTo(new[] { ("grid", "gongyuanmen", "一网格", 3), ("address", "gongyuanmen", "北院门123号", 3) }),
                "three reports at one address and in one grid; 大兴东路's three gave no address");
        });
    }

    [Test]
    public async Task Community_SeesItsOwnOnly_ADepartmentIsRefused_ABadPeriodIsAProblem()
    {
        using var community = await app.StaffAsync("hotspot-daxing", "community", "daxingdonglu");
        await app.AddDepartmentsAsync(("hotspot-dept", "区住建局"));
        using var department = await app.StaffAsync("hotspot-department", "department", "hotspot-dept");
        var own = await community.GetFromJsonAsync<JsonElement>("/api/staff/stats/hotspots?from=2026-11-01&to=2026-11-30", Ct);
        var refused = await department.GetAsync("/api/staff/stats/hotspots", Ct);
        var backwards = await community.GetAsync("/api/staff/stats/hotspots?from=2026-11-30&to=2026-11-01", Ct);

        Assert.Multiple(async () =>
        {
            Assert.That(own.GetProperty("rising").EnumerateArray().Select(r => r.GetProperty("community").GetProperty("code").GetString()),
                Is.EqualTo(new[] { "daxingdonglu", "daxingdonglu" }));
            Assert.That(own.GetProperty("repeatedPlaces").GetArrayLength(), Is.Zero);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("热点分析面向区、街道和社区"));
            Assert.That(backwards.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [TestCase(false, false, TestName = "RepeatedPlaces_OfTheDistrict_ReadTheIndexOfTheTimeReceived")]
    [TestCase(true, false, TestName = "RepeatedPlaces_OfAStreet_ReadTheIndexOfTheTimeReceived_NotTheStreets")]
    [TestCase(false, true, TestName = "RepeatedPlaces_OfACommunity_ReadTheIndexOfTheTimeReceived_NotTheCommunitys")]
    public async Task RepeatedPlacesPlan(bool byStreet, bool byCommunity)
    {
        var (grids, addresses) = LianApi.Stats.StatsStore.RepeatedPlacesSql(LianApi.Data.SqlDialect.Sqlite, byStreet, byCommunity);
        // The plan does not depend on the values: any 30 days.
        var parameters = new { Since = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), Until = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), StreetId = 1L, CommunityId = 1L, Repeats = 3, Limit = 20 };
        foreach (var sql in new[] { grids, addresses })
        {
            var plan = await app.Service<LianApi.Data.Database>().ReadAsync(async c => (await Dapper.SqlMapper.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
                c, "EXPLAIN QUERY PLAN " + sql, parameters)).Select(p => p.Detail).ToList(), Ct);
            var reads = plan.Where(p => p.StartsWith("SEARCH c ", StringComparison.Ordinal) || p.StartsWith("SCAN c", StringComparison.Ordinal)).ToList();
            Assert.That(reads, Has.Count.EqualTo(1).And.All.Contains("IX_Complaints_Received (SubmittedAt>? AND SubmittedAt<?)"), string.Join("\n", plan));
        }
    }
}
