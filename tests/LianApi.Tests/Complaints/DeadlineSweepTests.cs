using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Calendar;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

using LianApi.Shared;

namespace LianApi.Tests.Complaints;

/// <summary>
/// The deadline sweep against the real app and its SQLite file, on a fake clock. The app's own background sweep
/// ticks on the same clock whenever a test advances it, so it races with the explicit runs here exactly like a
/// second instance would: the tests assert end states (where the case is, how many events, its version), which
/// are the same whoever did the work, and never which run did it. FakeTimeProvider.Advance steps through every
/// minute tick on the way, so a background run may also act at a moment between the deadline and the end of the
/// advance: times are checked against that window and against each other, not against the final clock.
/// </summary>
public sealed class DeadlineSweepTests
{
    private static readonly TimeSpan JustPast = TimeSpan.FromMinutes(1);

    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient resident = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public async Task StartApp()
    {
        // The app issues tokens on its TimeProvider but JwtBearer checks their lifetime on the system clock: the
        // fake clock starts at the real time, and the resident logs in once, before the first advance, so the token
        // stays valid however many fake days pass.
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        app = new LianApiFactory(configureServices: s => s.AddSingleton<TimeProvider>(clock));
        resident = await app.LoginAsync("sweep-resident");
    }

    [TearDown]
    public async Task StopApp()
    {
        resident.Dispose();
        await app.DisposeAsync();
    }

    [Test]
    public async Task RunOnce_CommunityMissedResponseDeadline_EscalatesToStreetOnceAndShowsItOnTheTimeline()
    {
        var trackingNo = await SubmitAsync("sanitation");
        var submitted = await CaseAsync(trackingNo);
        clock.Advance(TimeSpan.FromHours(24) + JustPast);
        var sweptAt = clock.GetUtcNow().UtcDateTime;

        await Sweep().RunOnceAsync(Ct);
        var escalated = await CaseAsync(trackingNo);
        var second = await Sweep().RunOnceAsync(Ct);
        var afterSecond = await CaseAsync(trackingNo);
        var detail = await DetailAsync(trackingNo);

        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(escalated.HandlingLevel, Is.EqualTo(HandlingLevel.Street));
            Assert.That(escalated.HandlingUnitId, Is.EqualTo(escalated.StreetId));
            Assert.That(escalated.Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(escalated.ReceivedAt, Is.GreaterThan(submitted.ResponseDueAt).And.LessThanOrEqualTo(sweptAt), "received once the deadline had passed");
            Assert.That(escalated.ResponseDueAt, Is.EqualTo(escalated.ReceivedAt.AddHours(24)), "the street gets its own response time");
            Assert.That(escalated.Version, Is.EqualTo(2), "one write");

            Assert.That(second, Is.EqualTo(new DeadlineSweep.Result(0, 0, 0, 0)));
            Assert.That(afterSecond.Version, Is.EqualTo(escalated.Version), "a second run changes nothing");

            Assert.That(detail.GetProperty("status").GetString(), Is.EqualTo("submitted"));
            Assert.That(detail.GetProperty("dueAt").GetDateTimeOffset(), Is.EqualTo(Milliseconds(escalated.ResponseDueAt)), "responses carry milliseconds");
            Assert.That(timeline.Select(t => t.GetProperty("kind").GetString()), Is.EqualTo(new[] { "submitted", "auto_escalated", "received" }));
            Assert.That(timeline[1].GetProperty("unit").GetString(), Is.EqualTo("系统"));
            Assert.That(timeline[1].GetProperty("note").GetString(), Does.Contain("街道"));
            Assert.That(timeline[1].GetProperty("at").GetDateTimeOffset(), Is.EqualTo(Milliseconds(escalated.ReceivedAt)));
            Assert.That(timeline[2].GetProperty("unit").GetString(), Is.EqualTo("北院门街道"));
        });
    }

    [Test]
    public async Task RunOnce_PastOnlyTheEmergencyResponseHour_EscalatesOnlyTheEmergencyReport()
    {
        var emergency = await SubmitAsync("power-gas");
        var ordinary = await SubmitAsync("sanitation");
        clock.Advance(TimeSpan.FromHours(1) + JustPast);

        await Sweep().RunOnceAsync(Ct);

        var emergencyCase = await CaseAsync(emergency);
        var ordinaryCase = await CaseAsync(ordinary);
        Assert.Multiple(() =>
        {
            Assert.That(emergencyCase.HandlingLevel, Is.EqualTo(HandlingLevel.Street), "用电用气 has 1 hour");
            Assert.That(ordinaryCase.HandlingLevel, Is.EqualTo(HandlingLevel.Community), "环境卫生 still has 23 hours");
            Assert.That(ordinaryCase.Version, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunOnce_StreetThenDistrictMissDeadlines_EscalatesToDistrictThenMarksOverdueOnce()
    {
        var trackingNo = await SubmitAsync("sanitation");
        var sweep = Sweep();

        clock.Advance(TimeSpan.FromHours(24) + JustPast);
        await sweep.RunOnceAsync(Ct);
        var atStreet = await CaseAsync(trackingNo);

        clock.Advance(atStreet.ResponseDueAt - clock.GetUtcNow().UtcDateTime + JustPast);
        await sweep.RunOnceAsync(Ct);
        var atDistrict = await CaseAsync(trackingNo);

        clock.Advance(atDistrict.ResponseDueAt - clock.GetUtcNow().UtcDateTime + JustPast);
        await sweep.RunOnceAsync(Ct);
        var overdue = await CaseAsync(trackingNo);

        // Days later the case is still late, but it was already marked.
        clock.Advance(TimeSpan.FromDays(3));
        var later = await sweep.RunOnceAsync(Ct);
        var final = await CaseAsync(trackingNo);
        var kinds = await EventKindsAsync(trackingNo);

        Assert.Multiple(() =>
        {
            Assert.That(atStreet.HandlingLevel, Is.EqualTo(HandlingLevel.Street));
            Assert.That(atDistrict.HandlingLevel, Is.EqualTo(HandlingLevel.District));
            Assert.That(atDistrict.HandlingUnitId, Is.Null);
            Assert.That(atDistrict.IsOverdue, Is.False, "the center starts with its own response time");
            Assert.That(overdue.HandlingLevel, Is.EqualTo(HandlingLevel.District), "there is nothing above the center");
            Assert.That(overdue.Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(overdue.IsOverdue, Is.True);
            Assert.That(later, Is.EqualTo(new DeadlineSweep.Result(0, 0, 0, 0)));
            Assert.That(final.Version, Is.EqualTo(overdue.Version));
            Assert.That(final.Version, Is.EqualTo(4), "three writes: street, district, overdue");
            Assert.That(kinds, Is.EqualTo(new[] { "submitted", "content_checked", "auto_escalated", "received", "auto_escalated", "received", "overdue" }));
        });
    }

    [Test]
    public async Task RunOnce_TwoInstancesAtOnce_EscalateEachCaseExactlyOnce()
    {
        var trackingNos = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            trackingNos.Add(await SubmitAsync("sanitation", $"同一时间提交的第 {i + 1} 件"));
        }
        // Another instance of the app: its own sweep object, the same database and clock.
        var otherInstance = new DeadlineSweep(app.Service<ComplaintStore>(), clock, NullLogger<DeadlineSweep>.Instance);
        clock.Advance(TimeSpan.FromHours(24) + JustPast);

        var results = await Task.WhenAll(Sweep().RunOnceAsync(Ct), otherInstance.RunOnceAsync(Ct));

        var cases = new List<Complaint>();
        var escalations = new List<int>();
        foreach (var trackingNo in trackingNos)
        {
            cases.Add(await CaseAsync(trackingNo));
            escalations.Add((await EventKindsAsync(trackingNo)).Count(k => k == "auto_escalated"));
        }
        Assert.Multiple(() =>
        {
            Assert.That(cases.Select(c => c.HandlingLevel), Has.All.EqualTo(HandlingLevel.Street), "exactly one level up, never two");
            Assert.That(cases.Select(c => c.Version), Has.All.EqualTo(2), "one write per case");
            Assert.That(escalations, Has.All.EqualTo(1));
            Assert.That(results.Sum(r => r.Escalated), Is.LessThanOrEqualTo(trackingNos.Count), "no case counted twice");
        });
    }

    [Test]
    public async Task RunOnce_AcceptedCasePastResolutionDeadline_MarkedOverdueOnce()
    {
        var trackingNo = await SubmitAsync("sanitation");
        clock.Advance(TimeSpan.FromHours(2));
        var accepted = await ActAsync(trackingNo, ComplaintActions.Accept, new ActionInput());
        Assert.That(accepted.ResolutionDueAt, Is.Not.Null);

        clock.Advance(accepted.ResolutionDueAt!.Value - clock.GetUtcNow().UtcDateTime + JustPast);
        await Sweep().RunOnceAsync(Ct);
        var overdue = await CaseAsync(trackingNo);
        clock.Advance(TimeSpan.FromDays(1));
        var later = await Sweep().RunOnceAsync(Ct);
        var final = await CaseAsync(trackingNo);

        Assert.Multiple(() =>
        {
            Assert.That(overdue.IsOverdue, Is.True);
            Assert.That(overdue.Status, Is.EqualTo(ComplaintStatus.Accepted));
            Assert.That(overdue.HandlingLevel, Is.EqualTo(HandlingLevel.Community), "a late accepted case is flagged, not moved");
            Assert.That(later, Is.EqualTo(new DeadlineSweep.Result(0, 0, 0, 0)));
            Assert.That(final.Version, Is.EqualTo(overdue.Version));
        });
        Assert.That(await EventKindsAsync(trackingNo), Has.Exactly(1).EqualTo("overdue"));
    }

    [Test]
    public async Task RunOnce_ResolvedAndNotRatedForSevenDays_ClosedNotEvaluated()
    {
        var trackingNo = await SubmitAsync("sanitation");
        clock.Advance(TimeSpan.FromHours(1));
        await ActAsync(trackingNo, ComplaintActions.Accept, new ActionInput());
        clock.Advance(TimeSpan.FromHours(3));
        var resolved = await ActAsync(trackingNo, ComplaintActions.Resolve, new ActionInput(Reply: "已清理"));

        clock.Advance(TimeSpan.FromDays(7) - JustPast);
        await Sweep().RunOnceAsync(Ct);
        var withinWindow = await CaseAsync(trackingNo);
        clock.Advance(JustPast + JustPast);
        await Sweep().RunOnceAsync(Ct);
        var closed = await CaseAsync(trackingNo);
        var detail = await DetailAsync(trackingNo);

        Assert.Multiple(() =>
        {
            Assert.That(withinWindow.Status, Is.EqualTo(ComplaintStatus.Resolved), "the resident still has a minute to rate it");
            Assert.That(withinWindow.Version, Is.EqualTo(resolved.Version));
            Assert.That(closed.Status, Is.EqualTo(ComplaintStatus.Closed));
            Assert.That(closed.CloseReason, Is.EqualTo("not_evaluated"));
            Assert.That(closed.ClosedAt, Is.GreaterThan(resolved.ResolvedAt!.Value.AddDays(7)).And.LessThanOrEqualTo(clock.GetUtcNow().UtcDateTime));
            Assert.That(detail.GetProperty("status").GetString(), Is.EqualTo("closed"));
            Assert.That(detail.GetProperty("timeline").EnumerateArray().Last().GetProperty("kind").GetString(), Is.EqualTo("closed"));
        });
    }

    private DeadlineSweep Sweep() => app.Service<DeadlineSweep>();

    // Responses carry times to the millisecond (the time policy); the rows keep ticks.
    private static DateTimeOffset Milliseconds(DateTime utc) =>
        new(new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc));

    private async Task<string> SubmitAsync(string category, string description = "楼道垃圾三天没人清理")
    {
        var response = await resident.SubmitAsync(Requests.Complaint(description: description, category: category));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.That(response.IsSuccessStatusCode, Is.True, body.ToString());
        return body.GetProperty("trackingNo").GetString()!;
    }

    private Task<JsonElement> DetailAsync(string trackingNo) =>
        resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}", Ct);

    private async Task<Complaint> CaseAsync(string trackingNo) =>
        (await app.Service<ComplaintStore>().LoadAsync(trackingNo, Ct))?.Complaint ?? throw new AssertionException($"No case {trackingNo}");

    /// <summary>
    /// A staff action of the community that holds the case, written the way the staff endpoint writes it; the
    /// sweep only needs the case in the right state, not a staff login.
    /// </summary>
    private async Task<Complaint> ActAsync(string trackingNo, string action, ActionInput input)
    {
        var loaded = (await app.Service<ComplaintStore>().LoadAsync(trackingNo, Ct))!;
        var state = loaded.Complaint;
        var staff = new StaffMember
        {
            Role = StaffRoles.Community, UnitLevel = HandlingLevel.Community, UnitId = state.CommunityId, UnitName = state.CommunityName, IsActive = true,
        };
        var now = clock.GetUtcNow().UtcDateTime;
        var decision = ComplaintMachine.Apply(state, action, staff, input, now, await app.Service<CalendarStore>().GetAsync(Ct));
        Assert.That(decision.Refusal, Is.Null, decision.Refusal?.Detail);
        // No staff row exists, so the event carries the unit name only.
        var saved = await app.Service<ComplaintStore>().ApplyAsync(loaded, decision.Transition!, new Actor(null, null, state.CommunityName), now, Ct);
        Assert.That(saved, Is.Not.Null);
        return await CaseAsync(trackingNo);
    }

    private Task<List<string>> EventKindsAsync(string trackingNo) =>
        app.Service<Database>().ReadAsync(async c => (await c.QueryAsync<string>(new CommandDefinition("""
            SELECT e.Kind FROM ComplaintEvents e JOIN Complaints c ON c.Id = e.ComplaintId
            WHERE c.TrackingNo = @TrackingNo ORDER BY e.Id
            """, new { TrackingNo = trackingNo }, cancellationToken: Ct))).AsList(), Ct);
}
