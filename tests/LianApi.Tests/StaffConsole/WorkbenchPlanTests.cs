using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Shared;
using LianApi.StaffConsole;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// What the workbench reads at every load, planned as at a million cases. The wallboard's counts read the open cases
/// (few, whatever the years behind them) through the status index. Without statistics SQLite picks by the shape of a
/// query, not by the data, so a plan read on a small database is the plan at a million cases: there the per-department
/// query, through the index of levels, read every case that ever reached a department to check its status, and the
/// workbench took seconds.
/// </summary>
public sealed class WorkbenchPlanTests
{
    private LianApiFactory app = null!;

    [OneTimeSetUp]
    public void StartApp() => app = new LianApiFactory();

    [OneTimeTearDown]
    public async Task StopApp() => await app.DisposeAsync();

    [TestCase(nameof(WallStore.CountColumns))]
    [TestCase(nameof(WallStore.SelectByStreet))]
    [TestCase(nameof(WallStore.SelectByDepartment))]
    public async Task WallCounts_ReadTheOpenCasesThroughTheStatusIndex(string statement)
    {
        var sql = statement switch
        {
            nameof(WallStore.CountColumns) => WallStore.CountColumns,
            nameof(WallStore.SelectByStreet) => WallStore.SelectByStreet,
            _ => WallStore.SelectByDepartment,
        };
        var parameters = new
        {
            ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress, True = true, False = false,
            SoonUntil = DateTime.UtcNow, HandlingLevel.Department,
        };
        var plan = await app.Service<Database>().ReadAsync(async c => (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + sql, parameters)).Select(p => p.Detail).ToList(), CancellationToken.None);
        var reads = plan.Where(p => p.StartsWith("SEARCH c ", StringComparison.Ordinal) || p.StartsWith("SCAN c", StringComparison.Ordinal)).ToList();
        Assert.That(reads, Has.Count.EqualTo(1).And.All.Contains("IX_Complaints_Status_").And.All.Contains("(Status=?)"), string.Join("\n", plan));
    }

    [Test]
    public async Task CallBackQueue_FindsItsPageFromTheIndexAlone_ThenReadsOnlyThePagesRows()
    {
        // With the rows joined in, SQLite read and sorted every closed case of the district for each page (most of the
        // workbench's load at a million cases).
        var sql = CallBackQueue.SelectQueue(SqlDialect.Sqlite);
        var plan = await app.Service<Database>().ReadAsync(async c => (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + sql, new { CloseReasons.NotEvaluated, CloseReasons.Evaluated, AfterId = long.MaxValue, SharePercent = 10, Limit = 51 })).ToList(),
            CancellationToken.None);
        var queue = plan.Where(p => p.Detail.Contains("IX_Complaints_CloseReason", StringComparison.Ordinal)).Select(p => p.Detail).ToList();
        var sortsRows = plan.Any(p => p.Detail.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal)
                                      && plan.Any(r => r.Parent == p.Parent && r.Detail.Contains("USING INDEX IX_Complaints_CloseReason", StringComparison.Ordinal)));
        Assert.Multiple(() =>
        {
            Assert.That(queue, Has.Count.EqualTo(1).And.All.Contains("COVERING INDEX"), string.Join("\n", plan.Select(p => p.Detail)));
            Assert.That(sortsRows, Is.False, string.Join("\n", plan.Select(p => p.Detail)));
        });
    }
}
