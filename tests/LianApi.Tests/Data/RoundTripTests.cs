using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Data;

/// <summary>
/// How many database round trips (commands) one HTTP request costs, counted on the real app and its SQLite file.
/// The RoundTripTargets are the budgets the store refactor has to reach; each test prints what it counted.
/// </summary>
public sealed class RoundTripTests
{
    private LianApiFactory app = null!;
    private HttpClient resident = null!;

    /// <summary>The app's own data source (the app disposes it).</summary>
    private CountingDataSource Counter => CountingDataSource.Of(app);

    [SetUp]
    public async Task StartApp()
    {
        app = new LianApiFactory(configureServices: CountingDataSource.Install);
        resident = await app.LoginAsync("round-trip-resident");
    }

    [TearDown]
    public async Task StopApp()
    {
        resident.Dispose();
        await app.DisposeAsync();
    }

    [Test]
    public async Task CountingDataSource_CountsEveryCommandOfARequest()
    {
        var trackingNo = await resident.FileAsync();

        HttpResponseMessage live = null!, detail = null!;
        var liveCommands = await Counter.CountAsync(async () => live = await resident.GetAsync("/health/live"));
        var detailCommands = await Counter.CountAsync(async () => detail = await resident.GetAsync($"/api/complaints/{trackingNo}"));
        var readyCommands = await Counter.CountAsync(async () => await resident.GetAsync("/health/ready"));
        Print("GET /health/live", liveCommands);
        Print($"GET /api/complaints/{trackingNo}", detailCommands);

        Assert.Multiple(() =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(detail.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(liveCommands, Is.Empty, "the process answers without the database");
            Assert.That(detailCommands, Has.Count.GreaterThanOrEqualTo(1));
            Assert.That(readyCommands, Has.Count.GreaterThanOrEqualTo(1), "readiness reads the schema version");
        });
    }

    [Test, Category("RoundTripTargets")]
    public async Task StaffAction_Accept_AtMostFourRoundTrips()
    {
        var trackingNo = await resident.FileAsync();
        using var staff = await app.StaffAsync("round-trip-community", "community", "gongyuanmen");
        // The first action of an instance loads the working calendar, which is then kept for 30 s: the steady state is measured.
        Print("warm-up note", await Counter.CountAsync(async () => (await staff.ActAsync(trackingNo, "note", new { note = "预热" })).EnsureSuccessStatusCode()));

        HttpResponseMessage response = null!;
        var commands = await Counter.CountAsync(async () => response = await staff.ActAsync(trackingNo, "accept"));
        Print($"POST /api/staff/complaints/{trackingNo}/accept", commands);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        AssertUnitAndTail(commands, unitCommands: 4);
    }

    [Test, Category("RoundTripTargets")]
    public async Task DetailRead_OwnComplaint_AtMostOneRoundTrip()
    {
        var trackingNo = await resident.FileAsync();

        HttpResponseMessage response = null!;
        var commands = await Counter.CountAsync(async () => response = await resident.GetAsync($"/api/complaints/{trackingNo}"));
        Print($"GET /api/complaints/{trackingNo}", commands);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(commands, Has.Count.LessThanOrEqualTo(1));
    }

    [Test, Category("RoundTripTargets")]
    public async Task Submission_AtMostFourRoundTrips()
    {
        // A first report warms whatever the app loads once (working calendar, org units); the second is the steady state.
        string first = null!;
        Print("POST /api/complaints (first, warm-up)", await Counter.CountAsync(async () => first = await resident.FileAsync()));

        HttpResponseMessage response = null!;
        var commands = await Counter.CountAsync(async () => response = await resident.SubmitAsync(Requests.Complaint(phone: "13812345678")));
        Print("POST /api/complaints", commands);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        Assert.That(body.GetProperty("trackingNo").GetString(), Is.Not.EqualTo(first));
        // The key check before any work, then the day's counter, the report, and its first event with the key claim.
        AssertUnitAndTail(commands, unitCommands: 4);
    }

    /// <summary>
    /// On SQLite the statistics of every report of a group commit are written once, by the transaction, after its units:
    /// one command for the whole batch (alone here, shared under load), besides the unit's own.
    /// </summary>
    private static void AssertUnitAndTail(IReadOnlyList<string> commands, int unitCommands)
    {
        var tail = commands.Where(c => c.Contains("StatsRollups", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(commands.Except(tail).Count(), Is.LessThanOrEqualTo(unitCommands), string.Join("\n---\n", commands));
            Assert.That(tail, Has.Count.EqualTo(1), "the transaction's statistics, one command");
        });
    }

    [Test]
    public async Task SubmissionAndAction_BindEachParameterToFewStatements()
    {
        // Microsoft.Data.Sqlite looks every parameter of a command up in each of its statements: a command of 20 rollup
        // upserts with 43 parameters each made ~17,000 lookups a report, most of the single writer's time (scripts/bench:
        // 145 reports/s). Statements × parameters of each command stays small.
        await resident.FileAsync();
        var trackingNo = await resident.FileAsync();
        using var staff = await app.StaffAsync("bind-cost-community", "community", "gongyuanmen");
        var commands = (await Counter.CountAsync(async () => await resident.FileAsync()))
            .Concat(await Counter.CountAsync(async () => (await staff.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode())).ToList();

        var costs = commands.Select(c => (Statements: c.Count(ch => ch == ';'), Parameters: System.Text.RegularExpressions.Regex.Matches(c, @"@\w+")
            .Select(m => m.Value).Distinct().Count())).ToList();
        TestContext.Out.WriteLine(string.Join("\n", costs.Select(c => $"{c.Statements} statements × {c.Parameters} parameters")));
        Assert.That(costs.Max(c => c.Statements * c.Parameters), Is.LessThanOrEqualTo(2000));
    }

    private static void Print(string request, IReadOnlyList<string> commands)
    {
        TestContext.Out.WriteLine($"{request}: {commands.Count} round trip(s)");
        foreach (var (command, i) in commands.Select((c, i) => (c, i + 1)))
        {
            var firstLine = command.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            TestContext.Out.WriteLine($"  {i,2}. {firstLine}");
        }
    }
}
