using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>
/// Words searched by a department (a scope of one index): the newest matches are checked first, and when they hold less
/// than a page the department's own cases are read newest first against the set of matches. Either way the page is
/// exactly the department's matching cases, newest first, page after page.
/// </summary>
public sealed class InboxDepartmentSearchTests
{
    private static LianApiFactory app = null!;
    private static HttpClient housing = null!;
    private static readonly List<string> HousingManholes = [];
    private static string housingOther = null!, utilitiesManhole = null!, communityManhole = null!;

    [OneTimeSetUp]
    public static async Task FileCases()
    {
        app = new LianApiFactory();
        await app.AddDepartmentsAsync(("test-housing", "测试住建局"), ("test-utilities", "测试市政局"));
        housing = await app.StaffAsync("dept-search-housing", "department", "test-housing");
        (await app.StaffAsync("dept-search-utilities", "department", "test-utilities")).Dispose();
        var resident = await app.LoginAsync("dept-search-resident");
        async Task<string> FileAsync(string description, string category = "sanitation")
        {
            var response = await resident.SubmitAsync(new { communityCode = "gongyuanmen", categoryCode = category, description });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
        }
        for (var i = 0; i < 5; i++)
        {
            HousingManholes.Add(await FileAsync($"第{i + 1}个井盖松动，车轧过去咣当响", i == 2 ? "property" : "sanitation"));
            if (i == 1)
            {
                utilitiesManhole = await FileAsync("门口井盖松动了");
                housingOther = await FileAsync("楼道灯坏了");
                communityManhole = await FileAsync("西门井盖松动");
            }
        }
        HousingManholes.Reverse();   // newest first
        await PlaceAsync("test-housing", [.. HousingManholes, housingOther]);
        await PlaceAsync("test-utilities", [utilitiesManhole]);
    }

    // Dispatched to a department as the center's dispatch leaves a case (the chain itself is tested elsewhere).
    private static Task PlaceAsync(string department, string[] trackingNos) =>
        app.Service<LianApi.Data.Database>().WriteAsync((c, tx) => Dapper.SqlMapper.ExecuteAsync(c, """
            UPDATE Complaints SET Status = 'accepted', HandlingLevel = 'department',
                HandlingUnitId = (SELECT Id FROM Departments WHERE Code = @Department), DepartmentId = (SELECT Id FROM Departments WHERE Code = @Department)
            WHERE TrackingNo IN @TrackingNos
            """, new { Department = department, TrackingNos = trackingNos }, tx), CancellationToken.None);

    [OneTimeTearDown]
    public static async Task Stop()
    {
        housing.Dispose();
        await app.DisposeAsync();
    }

    private static async Task<(List<string> Found, string? Next)> PageAsync(string query)
    {
        var response = await housing.GetAsync("/api/staff/complaints?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), query + ": " + await response.Content.ReadAsStringAsync());
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()!).ToList(),
            page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null);
    }

    [Test]
    public async Task Department_SearchingWords_FindsExactlyItsMatchingCasesNewestFirst()
    {
        var (found, next) = await PageAsync("q=" + Uri.EscapeDataString("井盖松动"));

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.EqualTo(HousingManholes), "not another department's, not the community's, not its case of other words");
            Assert.That(next, Is.Null);
        });
    }

    [Test]
    public async Task Department_SearchingWordsWithFilters_FindsTheCasesOfTheFilter()
    {
        Assert.Multiple(async () =>
        {
            Assert.That((await PageAsync("q=" + Uri.EscapeDataString("井盖松动") + "&category=property")).Found, Is.EqualTo(new[] { HousingManholes[2] }));
            Assert.That((await PageAsync("q=" + Uri.EscapeDataString("井盖松动") + "&status=closed")).Found, Is.Empty);
            Assert.That((await PageAsync("q=" + Uri.EscapeDataString("没有这个词"))).Found, Is.Empty);
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public async Task Department_SearchingWords_PageByPage_ReadsEachCaseOnceInOrder(int limit)
    {
        var seen = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var (found, next) = await PageAsync($"q={Uri.EscapeDataString("井盖松动")}&limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.That(found, Has.Count.LessThanOrEqualTo(limit));
            seen.AddRange(found);
            if ((cursor = next) is null)
            {
                break;
            }
        }
        Assert.That(seen, Is.EqualTo(HousingManholes));
    }
}
