using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Communities;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>
/// Finding any case through GET /api/staff/complaints: q (a tracking number, or Chinese text anywhere in the
/// description, address or reply), phone (any written form of one number, never another), the new filters, the
/// scope rules applied to every result, unknown parameters refused, and the page's total.
/// </summary>
public sealed class InboxSearchTests
{
    private static LianApiFactory app = null!;
    private static HttpClient dispatcher = null!;
    private static HttpClient community = null!;
    private static string lamp = null!, smoke = null!, noise = null!;

    [OneTimeSetUp]
    public static async Task FileCases()
    {
        app = new LianApiFactory();
        dispatcher = await app.StaffAsync("search-dispatcher", "dispatcher", null);
        community = await app.StaffAsync("search-community", "community", "gongyuanmen");
        var resident = await app.LoginAsync("search-resident");
        lamp = await FileAsync(resident, new
        {
            communityCode = "gongyuanmen", categoryCode = "sanitation", description = "小区东门路灯坏了好几天，晚上很黑",
            address = "莲湖路12号院3号楼", contactPhone = "13812345678",
        });
        smoke = await FileAsync(resident, new
        {
            communityCode = "zaoyuanxilu", categoryCode = "sanitation", description = "楼下餐馆油烟很大，窗户都不敢开", contactPhone = "029-88881234",
        });
        noise = await FileAsync(resident, new
        {
            communityCode = "gongyuanmen", categoryCode = "property", description = "楼上装修噪音扰民", contactPhone = "13900001111",
        });
        (await community.ActAsync(lamp, "accept")).EnsureSuccessStatusCode();
        (await community.ActAsync(lamp, "reply", new { reply = "已联系物业检修线路，明天更换灯泡" })).EnsureSuccessStatusCode();
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        dispatcher.Dispose();
        community.Dispose();
        await app.DisposeAsync();
    }

    private static async Task<string> FileAsync(HttpClient resident, object body)
    {
        var response = await resident.SubmitAsync(body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    private static async Task<(List<string> Found, int Total)> FindAsync(HttpClient staff, string query)
    {
        var response = await staff.GetAsync("/api/staff/complaints?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), query + ": " + await response.Content.ReadAsStringAsync());
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(page.GetProperty("totalCapped").GetBoolean(), Is.False);
        return (page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()!).ToList(),
            page.GetProperty("total").GetInt32());
    }

    private static async Task<List<string>> Found(HttpClient staff, string query) => (await FindAsync(staff, query)).Found;

    [TestCase("路灯坏了", "description")]
    [TestCase("莲湖路12号", "address")]
    [TestCase("检修线路", "reply")]
    [TestCase("路灯", "two characters: among the newest cases")]
    [TestCase("灯", "one character")]
    public async Task Q_FindsChineseSubstrings(string q, string where)
    {
        Assert.That(await Found(dispatcher, "q=" + Uri.EscapeDataString(q)), Is.EqualTo(new[] { lamp }), where);
    }

    [Test]
    public async Task Q_FindsATrackingNumberHoweverTyped_AndTextOnlyWhereItIs()
    {
        var loose = smoke.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal);
        Assert.Multiple(async () =>
        {
            Assert.That(await Found(dispatcher, "q=" + smoke), Is.EqualTo(new[] { smoke }));
            Assert.That(await Found(dispatcher, "q=" + loose), Is.EqualTo(new[] { smoke }));
            Assert.That(await Found(dispatcher, "q=" + Uri.EscapeDataString("油烟很大")), Is.EqualTo(new[] { smoke }));
            Assert.That(await Found(dispatcher, "q=" + Uri.EscapeDataString("楼")), Is.EqualTo(new[] { noise, smoke, lamp }));
            Assert.That(await Found(dispatcher, "q=" + Uri.EscapeDataString("路灯好了")), Is.Empty);
            Assert.That(await Found(dispatcher, "q=" + Uri.EscapeDataString("\"%_'")), Is.Empty);
        });
    }

    [TestCase("13812345678")]
    [TestCase("+86 138 1234 5678")]
    [TestCase("008613812345678")]
    [TestCase("138-1234-5678")]
    public async Task Phone_FindsTheCaseByAnyWrittenFormOfItsNumber(string phone)
    {
        Assert.That(await Found(dispatcher, "phone=" + Uri.EscapeDataString(phone)), Is.EqualTo(new[] { lamp }));
    }

    [Test]
    public async Task Phone_NeverFindsADifferentNumber_AndALandlineByItsInternationalForm()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await Found(dispatcher, "phone=13812345679"), Is.Empty);
            Assert.That(await Found(dispatcher, "phone=3812345678"), Is.Empty);
            Assert.That(await Found(dispatcher, "phone=" + Uri.EscapeDataString("+86 29 8888 1234")), Is.EqualTo(new[] { smoke }));
            Assert.That(await Found(dispatcher, "phone=02988881234&q=" + Uri.EscapeDataString("油烟")), Is.EqualTo(new[] { smoke }));
            Assert.That(await Found(dispatcher, "phone=02988881234&q=" + Uri.EscapeDataString("路灯坏")), Is.Empty);
        });
    }

    [Test]
    public async Task Search_KeepsTheScope_ACommunityNeverFindsAnotherCommunitysCase()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await Found(community, "q=" + Uri.EscapeDataString("油烟很大")), Is.Empty);
            Assert.That(await Found(community, "q=" + Uri.EscapeDataString("油烟")), Is.Empty);
            Assert.That(await Found(community, "q=" + smoke), Is.Empty);
            Assert.That(await Found(community, "phone=029-88881234"), Is.Empty);
            Assert.That(await Found(community, "q=" + Uri.EscapeDataString("楼")), Is.EqualTo(new[] { noise, lamp }));
            Assert.That(await Found(community, "phone=13812345678"), Is.EqualTo(new[] { lamp }));
        });
    }

    [Test]
    public async Task Filters_Combine_AndTheTotalCountsTheFilteredSet()
    {
        var street = (await app.Service<OrgDirectory>().GetAsync(CancellationToken.None)).CommunitiesByCode["gongyuanmen"].StreetCode;
        Assert.Multiple(async () =>
        {
            Assert.That(await FindAsync(dispatcher, ""), Is.EqualTo((new List<string> { noise, smoke, lamp }, 3)).Using(new PageComparer()));
            Assert.That(await FindAsync(dispatcher, "community=gongyuanmen&limit=1"), Is.EqualTo((new List<string> { noise }, 2)).Using(new PageComparer()));
            Assert.That(await FindAsync(dispatcher, "street=" + street), Is.EqualTo((new List<string> { noise, lamp }, 2)).Using(new PageComparer()));
            Assert.That(await FindAsync(dispatcher, "q=" + Uri.EscapeDataString("楼") + "&category=sanitation"), Is.EqualTo((new List<string> { smoke, lamp }, 2)).Using(new PageComparer()));
            Assert.That(await FindAsync(community, ""), Is.EqualTo((new List<string> { noise, lamp }, 2)).Using(new PageComparer()));
            Assert.That(await Found(dispatcher, "channel=miniprogram&status=accepted"), Is.EqualTo(new[] { lamp }));
            Assert.That(await FindAsync(dispatcher, "channel=hotline"), Is.EqualTo((new List<string>(), 0)).Using(new PageComparer()));
            Assert.That(await Found(dispatcher, "street=no-such-street"), Is.Empty);
            Assert.That(await Found(dispatcher, "department=no-such-department"), Is.Empty);
            Assert.That(await Found(dispatcher, "grid=no-such-grid"), Is.Empty);
            Assert.That(await Found(dispatcher, "assignee=999"), Is.Empty);
        });
    }

    [Test]
    public async Task CasesStoredBeforeTheBlindIndex_AreFoundByPhone_OnceTheSearchIndexVerbRan()
    {
        var db = app.Service<LianApi.Data.Database>();
        await db.WriteAsync((c, tx) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE Complaints SET ContactPhoneIndex = NULL WHERE TrackingNo = @No",
            new { No = noise }, tx), CancellationToken.None);
        Assert.That(await Found(dispatcher, "phone=13900001111"), Is.Empty, "a case stored before migration 025 has no blind index");

        var phones = app.Service<LianApi.Privacy.PhoneProtector>();
        var (indexed, _) = await app.Service<LianApi.Complaints.ComplaintStore>().IndexStoredCasesAsync(
            stored => phones.BlindIndex(phones.Unprotect(stored)), 2, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(indexed, Is.EqualTo(1));
            Assert.That(await Found(dispatcher, "phone=13900001111"), Is.EqualTo(new[] { noise }));
        });
    }

    [Test]
    public async Task SearchStatements_InEveryScope_AreDrivenByTheSearchsOwnIndex_NeverByAScopeOrFilterIndex()
    {
        var names = await app.Service<OrgDirectory>().GetAsync(CancellationToken.None);
        var store = app.Service<LianApi.Complaints.StaffInboxStore>();
        var home = names.CommunitiesByCode["gongyuanmen"];
        var scopes = new[]
        {
            new LianApi.Staff.StaffMember { Id = 1, Role = "dispatcher", IsActive = true },
            new LianApi.Staff.StaffMember { Id = 2, Role = "department", UnitId = 1, IsActive = true },
            new LianApi.Staff.StaffMember { Id = 3, Role = "street", UnitId = home.StreetId, IsActive = true },
            new LianApi.Staff.StaffMember { Id = 4, Role = "community", UnitId = home.Id, IsActive = true },
            new LianApi.Staff.StaffMember { Id = 5, Role = "community", UnitId = home.Id, GridId = 1, IsActive = true },
        };
        var searches = new (LianApi.Complaints.InboxQuery Query, string Driver)[]
        {
            (Query(q: "路灯坏了"), "SCAN t VIRTUAL TABLE INDEX"),
            (Query(q: "路灯坏了", category: "property", status: "closed"), "SCAN t VIRTUAL TABLE INDEX"),
            (Query(phone: "13812345678", q: "路灯坏了"), "IX_Complaints_PhoneIndex"),
            (Query(phone: "13812345678", category: "property"), "IX_Complaints_PhoneIndex"),
            (Query(q: "路灯"), "USING INTEGER PRIMARY KEY (rowid>?"),
            (Query(q: smoke), "(TrackingNo=?)"),
        };
        var problems = new List<string>();
        foreach (var staff in scopes)
        {
            foreach (var (query, driver) in searches)
            {
                var (sql, parameters) = store.Statement(staff, query, urgent: false, 20, new LianApi.Complaints.InboxCursor(1_000_000, 0, DateTime.UtcNow), names)!.Value;
                var plan = await app.Service<LianApi.Data.Database>().ReadAsync(async c => (await Dapper.SqlMapper.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
                    c, "EXPLAIN QUERY PLAN " + sql, parameters)).Select(p => p.Detail).ToList(), CancellationToken.None);
                // The inner block (the search's page) reads the driver first; the case rows only by their key.
                var inner = plan.Where(p => p.StartsWith("SCAN", StringComparison.Ordinal) || p.StartsWith("SEARCH", StringComparison.Ordinal)).Skip(1).ToList();
                // A department's words: its ids gathered from its own index, each match checked against them.
                var byDepartment = staff.Role == "department" && driver.StartsWith("SCAN t", StringComparison.Ordinal);
                if (!plan.Any(p => p.Contains(driver, StringComparison.Ordinal))
                    || (byDepartment && !plan.Any(p => p.Contains("SEARCH s USING COVERING INDEX IX_Complaints_Handler_Id", StringComparison.Ordinal)))
                    || inner.Any(p => p.Contains(" c USING INDEX IX_Complaints_", StringComparison.Ordinal) && !p.Contains(driver, StringComparison.Ordinal)))
                {
                    problems.Add($"{staff.Role}{(staff.GridId is null ? "" : " (grid)")}, q={query.Q} phone={query.Phone}:\n    " + string.Join("\n    ", plan));
                }
            }
        }
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public async Task Search_InAPeriod_FindsExactlyThePeriodsCases_ThroughTheTextIndexBoundedByIds()
    {
        // A month a year ago read a year of newer matches first: the period now bounds the text
        // index's rowids. The bounds only narrow the scan; every case's time is still checked, so a case received exactly
        // at from= is found and one received a millisecond before it is not.
        var db = app.Service<LianApi.Data.Database>();
        var now = DateTime.UtcNow;
        var times = new Dictionary<string, DateTime> { [lamp] = now.AddHours(-3), [smoke] = now.AddHours(-2), [noise] = now.AddMinutes(-1) };
        var stored = await db.ReadAsync(async c => (await Dapper.SqlMapper.QueryAsync<(string No, string At)>(c,
            "SELECT TrackingNo, SubmittedAt FROM Complaints WHERE TrackingNo IN @Nos", new { Nos = times.Keys.ToArray() })).ToList(), CancellationToken.None);
        async Task SetAsync(IEnumerable<(string No, object At)> rows) => await db.WriteAsync((c, tx) => Dapper.SqlMapper.ExecuteAsync(c,
            "UPDATE Complaints SET SubmittedAt = @At WHERE TrackingNo = @No", rows.Select(r => new { r.No, r.At }), tx), CancellationToken.None);
        string At(DateTime t) => Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        string Q(string text) => "q=" + Uri.EscapeDataString(text);
        DateTime Ms(DateTime t) => DateTime.SpecifyKind(t.AddTicks(-t.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        await SetAsync(times.Select(t => (t.Key, (object)Ms(t.Value))));
        try
        {
            var (lampAt, noiseAt) = (Ms(times[lamp]), Ms(times[noise]));
            Assert.Multiple(async () =>
            {
                // The lower bound is the case received over an hour before from= (smoke, for noise); the upper the case
                // received over an hour after to= (smoke, for lamp): both bite, and the edge cases are still found.
                Assert.That(await Found(dispatcher, $"{Q("装修噪音")}&from={At(noiseAt)}"), Is.EqualTo(new[] { noise }));
                Assert.That(await Found(dispatcher, $"{Q("装修噪音")}&from={At(noiseAt.AddMilliseconds(1))}"), Is.Empty);
                Assert.That(await Found(dispatcher, $"{Q("路灯坏了")}&to={At(lampAt.AddMilliseconds(1))}"), Is.EqualTo(new[] { lamp }));
                Assert.That(await Found(dispatcher, $"{Q("路灯坏了")}&to={At(lampAt)}"), Is.Empty);
                Assert.That(await Found(dispatcher, $"{Q("油烟很大")}&from={At(lampAt)}&to={At(noiseAt)}"), Is.EqualTo(new[] { smoke }));
                Assert.That(await FindAsync(community, $"{Q("路灯坏了")}&from={At(lampAt)}&to={At(noiseAt)}"), Is.EqualTo((new List<string> { lamp }, 1)).Using(new PageComparer()));
                Assert.That(await Found(community, $"{Q("油烟很大")}&from={At(lampAt)}&to={At(noiseAt)}"), Is.Empty);
            });
        }
        finally
        {
            await SetAsync(stored.Select(s => (s.No, (object)s.At)));
        }
    }

    [Test]
    public async Task SearchCount_ExaminesOnlyTheNewestMatches_AndThenSaysThereMayBeMore()
    {
        var names = await app.Service<OrgDirectory>().GetAsync(CancellationToken.None);
        var store = app.Service<LianApi.Complaints.StaffInboxStore>();
        var center = new LianApi.Staff.StaffMember { Id = 1, Role = "dispatcher", IsActive = true };
        var (sql, parameters) = store.Count(center, Query(q: "路灯坏了"), names)!.Value;
        async Task<(int Total, int Matches)> CountAsync(int read)
        {
            parameters.Add("MatchesRead", read);
            return await app.Service<LianApi.Data.Database>().ReadAsync(c => Dapper.SqlMapper.QuerySingleAsync<(int, int)>(c, sql, parameters), CancellationToken.None);
        }
        Assert.Multiple(async () =>
        {
            Assert.That(await CountAsync(LianApi.Complaints.InboxTotal.SearchMatchesRead), Is.EqualTo((1, 1)));
            Assert.That(await CountAsync(1), Is.EqualTo((1, 1)), "every match examined: the total is exact");
            Assert.That(await CountAsync(0), Is.EqualTo((0, 1)), "more matches than examined: the page says the total may be more");
        });
    }

    private static LianApi.Complaints.InboxQuery Query(string? q = null, string? phone = null, string? category = null, string? status = null) =>
        new(status, category, null, null, null, null, null, null, null, null, null, null, Q: q, Phone: phone);

    [TestCase("departmnt=cgj", "departmnt")]
    [TestCase("status=closed&Foo=1", "foo")]
    public async Task UnknownParameter_Is400NamingIt(string query, string name)
    {
        var response = await dispatcher.GetAsync("/api/staff/complaints?" + query);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("unknown_parameter"));
            Assert.That(problem.GetProperty("errors").TryGetProperty(name, out var message), Is.True);
            Assert.That(message.ToString(), Does.Contain("不认识的查询参数"));
        });
    }

    [Test]
    public async Task Search_InTheUrgentOrder_Is400()
    {
        var response = await dispatcher.GetAsync("/api/staff/complaints?sort=urgent&q=" + Uri.EscapeDataString("路灯坏"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private sealed class PageComparer : IEqualityComparer<(List<string> Found, int Total)>
    {
        public bool Equals((List<string> Found, int Total) x, (List<string> Found, int Total) y) => x.Found.SequenceEqual(y.Found) && x.Total == y.Total;
        public int GetHashCode((List<string> Found, int Total) obj) => obj.Total;
    }
}
