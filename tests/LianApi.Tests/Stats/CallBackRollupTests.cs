using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Data;
using LianApi.Shared;
using LianApi.Stats;
using LianApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LianApi.Tests.Stats;

/// <summary>
/// The 回访 figures by resolving unit come from the rollups, kept by the transitions like every other figure, and equal
/// a recount. Three reports of 贡院门社区 (北院门街道), all resolved by the community:
///   A  called back: solved, satisfied (the case closes); called back again: not solved, unsatisfied (only the last call counts).
///   B  called back: not solved, unsatisfied, so it reopens; escalated to the street, which resolves it: its figures move there.
///   C  never called back.
/// </summary>
public sealed class CallBackRollupTests
{
    // The rows' keys as stored: Key1 is the level of the resolving unit (changing one needs `stats rebuild`).
    private const long StreetKey = 2;
    private const long CommunityKey = 3;

    private LianApiFactory app = null!;
    private HttpClient dispatcher = null!;
    private HttpClient street = null!;
    private HttpClient community = null!;
    private string a = "";
    private JsonElement firstCalls;
    private JsonElement afterMoves;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    private sealed record Row(string Level, string? Code, int Resolved, int CalledBack, int SaidResolved, int Satisfied, int BasicallySatisfied, int Unsatisfied);

    [OneTimeSetUp]
    public async Task CallBackThreeCases()
    {
        app = new LianApiFactory();
        var resident = await app.LoginAsync("cb-rollup-resident");
        community = await app.StaffAsync("cb-rollup-community", "community", "gongyuanmen");
        street = await app.StaffAsync("cb-rollup-street", "street", "beiyuanmen");
        dispatcher = await app.StaffAsync("cb-rollup-dispatcher", "dispatcher", null);
        a = await resident.FileAsync();
        var b = await resident.FileAsync();
        var c = await resident.FileAsync();
        foreach (var trackingNo in new[] { a, b, c })
        {
            await Ok(await community.ActAsync(trackingNo, "accept"));
            await Ok(await community.ActAsync(trackingNo, "resolve", new { reply = "已修好" }));
        }

        await Ok(await dispatcher.ActAsync(a, "evaluate-by-phone", new { resolved = true, satisfaction = "satisfied" }));
        await Ok(await dispatcher.ActAsync(b, "evaluate-by-phone", new { resolved = false, satisfaction = "unsatisfied" }));
        firstCalls = await StatsAsync(dispatcher, "");

        await Ok(await dispatcher.ActAsync(a, "evaluate-by-phone", new { resolved = false, satisfaction = "unsatisfied", comment = "其实没修好" }));
        await Ok(await community.ActAsync(b, "escalate", new { reason = "需要街道协调" }));
        await Ok(await street.ActAsync(b, "accept"));
        await Ok(await street.ActAsync(b, "resolve", new { reply = "街道已修好" }));
        afterMoves = await StatsAsync(dispatcher, "");
    }

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public void FirstCallBacks_CountAtTheCommunityThatResolved()
    {
        Assert.That(Rows(firstCalls), Is.EqualTo(new[] { new Row("community", "gongyuanmen", 3, 2, 1, 1, 0, 1) }));
    }

    [Test]
    public void SecondCallBack_ReplacesTheFirst_AndAReopenedCaseResolvedByTheStreet_MovesThere()
    {
        Assert.That(Rows(afterMoves), Is.EqualTo(new[]
        {
            new Row("community", "gongyuanmen", 2, 1, 0, 0, 0, 1),
            new Row("street", "beiyuanmen", 1, 1, 0, 0, 0, 1),
        }));
    }

    [Test]
    public async Task TheWorkbook_HasASheetOfTheCallBacks_AsTheApiCountsThem()
    {
        var response = await dispatcher.GetAsync("/api/staff/stats/export?format=xlsx", Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        using var workbook = new XlsxFile(bytes);
        var sheet = workbook.SheetNames.ToList().IndexOf(StatsExport.CallBackSheet);
        using var xlsx = new XlsxFile(bytes, sheet);
        var rows = Enumerable.Range(4, xlsx.RowCount - 3).Select(r => (xlsx.Text(r, 2), xlsx.Number(r, 3), xlsx.Number(r, 4), xlsx.Number(r, 5), xlsx.Number(r, 9))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(workbook.SheetNames, Is.EqualTo(new[] { "统计", StatsExport.ComparisonSheet, StatsExport.CallBackSheet, StatsExport.WhistleSheet }));
            Assert.That(xlsx.Text(1, 1), Does.EndWith("· 回访"));
            Assert.That(Enumerable.Range(1, 5).Select(c => xlsx.Text(3, c)), Is.EqualTo(new[] { "层级", "单位", "办结件数", "回访件数", "回访率" }));
            // As SecondCallBack_… reads the API: the community resolved 2 (1 called back, unsatisfied), the street 1 (called back, unsatisfied).
            Assert.That(rows, Is.EquivalentTo(new[] { ("贡院门社区", 2.0, 1.0, 0.5, 1.0), ("北院门街道", 1.0, 1.0, 1.0, 1.0) }));
            Assert.That(xlsx.NumberFormat(4, 5), Is.EqualTo("10"), "回访率 as a percentage");
        });
    }

    [Test]
    public async Task Figures_AreTheResolverRollups_WhichEqualARecount()
    {
        var differences = await app.Service<StatsStore>().VerifyAsync(Ct);
        var rows = await ResolverRowsAsync(app, "resolver");
        var months = await ResolverRowsAsync(app, "resolver/m");
        var streetId = await ScalarAsync(app, "SELECT Id FROM Streets WHERE Code = 'beiyuanmen'");
        var communityId = await ScalarAsync(app, "SELECT Id FROM Communities WHERE Code = 'gongyuanmen'");

        Assert.Multiple(() =>
        {
            Assert.That(differences, Is.Empty);
            // Rows whose cases moved away stay at zero; what is left is what the API showed.
            Assert.That(rows.Where(r => r.Resolved > 0), Is.EquivalentTo(new[]
            {
                (CommunityKey, communityId, 2L, 1L, 1L),
                (StreetKey, streetId, 1L, 1L, 1L),
            }));
            Assert.That(months.Where(r => r.Resolved > 0).Select(r => (r.Key1, r.Key2, r.Resolved, r.CalledBack, r.Unsatisfied)),
                Is.EquivalentTo(rows.Where(r => r.Resolved > 0).Select(r => (r.Key1, r.Key2, r.Resolved, r.CalledBack, r.Unsatisfied))));
        });
    }

    [Test]
    public async Task Scopes_SeeTheirUnits_AndLongPeriodsReadMonths()
    {
        var ofStreet = Rows(await StatsAsync(street, ""));
        var ofCommunity = Rows(await StatsAsync(community, ""));
        // From 2024 to the end of this month: whole months, this one too, from the monthly rows.
        var today = DateOnly.FromDateTime(DateTime.UtcNow + ChinaTime.Offset);
        var monthEnd = new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1);
        var longPeriod = Rows(await StatsAsync(dispatcher, $"?from=2024-01-01&to={monthEnd:yyyy-MM-dd}"));

        Assert.Multiple(() =>
        {
            Assert.That(ofStreet, Is.EqualTo(Rows(afterMoves)), "a street sees itself and its communities");
            Assert.That(ofCommunity, Is.EqualTo(Rows(afterMoves).Where(r => r.Level == "community")));
            Assert.That(longPeriod, Is.EqualTo(Rows(afterMoves)));
        });
    }

    [Test]
    public async Task ResolverRowsDeleted_TheBackfillAtStart_WritesThemAgain()
    {
        var store = app.Service<StatsStore>();
        await app.Service<Database>().WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM StatsRollups WHERE Dimension IN ('resolver', 'resolver/m')", transaction: tx), Ct);
        var withoutRows = await StatsAsync(dispatcher, "");
        var needed = await store.NeedsBackfillAsync(Ct);

        await app.Services.GetServices<IHostedService>().OfType<StatsBackfill>().Single().StartAsync(Ct);

        Assert.Multiple(async () =>
        {
            Assert.That(Rows(withoutRows), Is.Empty, "the figures are read from the rollups, not from the cases");
            Assert.That(needed, Is.True);
            Assert.That(await store.NeedsBackfillAsync(Ct), Is.False);
            Assert.That(Rows(await StatsAsync(dispatcher, "")), Is.EqualTo(Rows(afterMoves)));
            Assert.That(await store.VerifyAsync(Ct), Is.Empty);
        });
    }

    [Test]
    public async Task DatabaseOfMigration028_UpgradedAtStart_GetsTheLastCallBacksAndTheResolverRows()
    {
        // This database as migration 028 left it: without the call-back columns 029 adds, nor rows by resolving unit.
        await using var upgraded = new LianApiFactory();
        await using (var copy = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            await copy.ExecuteAsync("VACUUM INTO @Path", new { Path = upgraded.DatabasePath });
        }
        await using (var old = new SqliteConnection($"Data Source={upgraded.DatabasePath}"))
        {
            await old.ExecuteAsync("""
                DELETE FROM StatsRollups WHERE Dimension IN ('resolver', 'resolver/m');
                ALTER TABLE StatsRollups DROP COLUMN CalledBack;
                ALTER TABLE StatsRollups DROP COLUMN CallBackSaidResolved;
                ALTER TABLE StatsRollups DROP COLUMN CallBackSatisfied;
                ALTER TABLE StatsRollups DROP COLUMN CallBackBasicallySatisfied;
                ALTER TABLE StatsRollups DROP COLUMN CallBackUnsatisfied;
                ALTER TABLE Complaints DROP COLUMN LastCallBackResolved;
                ALTER TABLE Complaints DROP COLUMN LastCallBackSatisfaction;
                DROP TABLE DeferredIndexes;
                ALTER TABLE Complaints DROP COLUMN WhistledDepartmentId;
                ALTER TABLE Complaints DROP COLUMN WhistleReported;
                ALTER TABLE Complaints DROP COLUMN WhistleReportedOnTime;
                ALTER TABLE Complaints DROP COLUMN LastResolvedByStaffId;
                ALTER TABLE StatsRollups DROP COLUMN Whistled;
                ALTER TABLE StatsRollups DROP COLUMN WhistleReported;
                ALTER TABLE StatsRollups DROP COLUMN WhistleReportedOnTime;
                DROP TABLE Reports;
                DELETE FROM Leases WHERE Name = 'reports';
                DELETE FROM SchemaVersions WHERE Version >= 29;
                """);
        }
        SqliteConnection.ClearAllPools();

        var center = await upgraded.StaffAsync("cb-rollup-upgraded-dispatcher", "dispatcher", null);
        var figures = await StatsAsync(center, "");
        var caseA = upgraded.Case(a);

        Assert.Multiple(async () =>
        {
            Assert.That(Rows(figures), Is.EqualTo(Rows(afterMoves)));
            Assert.That((caseA.LastCallBackResolved, caseA.LastCallBackSatisfaction), Is.EqualTo(((bool?)false, "unsatisfied")), "the later of A's two calls");
            Assert.That(await upgraded.Service<StatsStore>().VerifyAsync(Ct), Is.Empty);
            Assert.That(upgraded.Logs.Lines, Has.Some.Contains("Statistics rollups built from the existing cases"));
        });
    }

    [Test]
    public void LevelKeys_AreTheStoredOnes_AndAnUnknownLevelIsABug()
    {
        var keys = HandlingLevel.All.ToDictionary(level => level, RollupDimensions.LevelKey);

        Assert.Multiple(() =>
        {
            Assert.That(keys, Is.EqualTo(new Dictionary<string, long> { ["district"] = 1, ["street"] = StreetKey, ["community"] = CommunityKey, ["department"] = 4 }));
            Assert.That(() => RollupDimensions.LevelKey("village"), Throws.TypeOf<System.Diagnostics.UnreachableException>());
        });
    }

    private static List<Row> Rows(JsonElement report) => report.GetProperty("callBacks").EnumerateArray().Select(r => new Row(
        r.GetProperty("level").GetString()!, r.GetProperty("code").GetString(), Int(r, "resolved"), Int(r, "calledBack"), Int(r, "saidResolved"),
        Int(r, "satisfied"), Int(r, "basicallySatisfied"), Int(r, "unsatisfied"))).ToList();

    private static int Int(JsonElement row, string name) => row.GetProperty(name).GetInt32();

    private static async Task<List<(long Key1, long Key2, long Resolved, long CalledBack, long Unsatisfied)>> ResolverRowsAsync(LianApiFactory app, string dimension) =>
        (await app.Service<Database>().ReadAsync(c => c.QueryAsync<(long, long, long, long, long)>("""
            SELECT Key1, Key2, SUM(ResolvedEver), SUM(CalledBack), SUM(CallBackUnsatisfied) FROM StatsRollups
            WHERE Dimension = @Dimension GROUP BY Key1, Key2
            """, new { Dimension = dimension }), Ct)).ToList();

    private static Task<long> ScalarAsync(LianApiFactory app, string sql) => app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(sql), Ct);

    private static async Task<JsonElement> StatsAsync(HttpClient staff, string query)
    {
        var response = await staff.GetAsync("/api/staff/stats" + query, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task Ok(HttpResponseMessage response) =>
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
}
