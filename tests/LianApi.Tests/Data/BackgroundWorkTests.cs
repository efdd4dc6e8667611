using System.Net.Http.Json;
using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Idempotency;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Data;

/// <summary>
/// Work that several instances share (issue 15 §1): one lease per job, a sweep that reads only what is due through
/// its index and survives a failing case, and a pruner that deletes in small batches.
/// </summary>
public sealed class BackgroundWorkTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    private SqliteTestDatabase database = null!;
    private ServiceProvider services = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        database = new SqliteTestDatabase();
        await database.CreateAsync();
        services = database.BuildServices(TimeProvider.System);
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(Ct);
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    private Database Db => services.GetRequiredService<Database>();

    [Test]
    public async Task Lease_TwoInstances_OneHoldsItUntilItExpiresOrIsGivenUp()
    {
        var leases = new LeaseStore(Db);
        var now = new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc);
        var minute = TimeSpan.FromMinutes(1);

        var a = await leases.TryAcquireAsync(LeaseStore.DeadlineSweep, "instance-a", now, 2 * minute, Ct);
        var bWhileAHoldsIt = await leases.TryAcquireAsync(LeaseStore.DeadlineSweep, "instance-b", now.AddSeconds(30), 2 * minute, Ct);
        var aRenews = await leases.TryAcquireAsync(LeaseStore.DeadlineSweep, "instance-a", now.AddMinutes(1), 2 * minute, Ct);
        var bBeforeTheRenewalEnds = await leases.TryAcquireAsync(LeaseStore.DeadlineSweep, "instance-b", now.AddMinutes(2.5), 2 * minute, Ct);
        var bAfterADied = await leases.TryAcquireAsync(LeaseStore.DeadlineSweep, "instance-b", now.AddMinutes(3).AddSeconds(1), 2 * minute, Ct);
        var otherJobMeanwhile = await leases.TryAcquireAsync(LeaseStore.IdempotencyPruner, "instance-a", now.AddMinutes(3), 2 * minute, Ct);
        await leases.ReleaseAsync(LeaseStore.DeadlineSweep, "instance-b", now.AddMinutes(4), Ct);
        var aAfterRelease = await leases.TryAcquireAsync(LeaseStore.DeadlineSweep, "instance-a", now.AddMinutes(4).AddSeconds(1), 2 * minute, Ct);

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.True);
            Assert.That(bWhileAHoldsIt, Is.False);
            Assert.That(aRenews, Is.True, "the holder renews its own lease");
            Assert.That(bBeforeTheRenewalEnds, Is.False);
            Assert.That(bAfterADied, Is.True, "a dead holder's lease expires");
            Assert.That(otherJobMeanwhile, Is.True, "each job has its own lease");
            Assert.That(aAfterRelease, Is.True, "a released lease is free at once");
        });
    }

    [Test]
    public async Task Lease_ManyInstancesAtOnce_ExactlyOneWins()
    {
        var leases = new LeaseStore(Db);
        var now = new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc);

        var wins = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            leases.TryAcquireAsync(LeaseStore.DeadlineSweep, $"instance-{i}", now, TimeSpan.FromMinutes(2), Ct)));

        Assert.That(wins.Count(w => w), Is.EqualTo(1));
    }

    [Test]
    public async Task Prune_ThousandsOfOldKeys_DeletesThemAllInBatchesAndKeepsTheRecentOnes()
    {
        var now = new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc);
        var user = await services.GetRequiredService<LianApi.Auth.UserStore>().UpsertAsync("app", "prune-user", now, Ct);
        await Db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO IdempotencyKeys (UserId, Endpoint, IdempotencyKey, RequestHash, StatusCode, Location, ResponseBody, CreatedAt)
            VALUES (@UserId, 'POST /api/complaints', @Key, 'h', 201, NULL, '', @CreatedAt)
            """, Enumerable.Range(0, 2600).Select(i => new { UserId = user, Key = $"key-{i:D5}", CreatedAt = i < 2500 ? now.AddHours(-100) : now }),
            tx, cancellationToken: Ct)), Ct);
        var store = new IdempotencyStore(Db);

        var pruned = await store.PruneAsync(now.AddHours(-72), Ct);

        var left = await Db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM IdempotencyKeys", cancellationToken: Ct)), Ct);
        Assert.Multiple(() =>
        {
            Assert.That(pruned, Is.EqualTo(2500));
            Assert.That(left, Is.EqualTo(100));
        });
    }

    [Test]
    public async Task SweepCandidates_AreReadThroughTheNextSweepAtIndex()
    {
        var plan = await Db.ReadAsync(async c => (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(new CommandDefinition(
            "EXPLAIN QUERY PLAN SELECT Id FROM Complaints WHERE NextSweepAt < @Now ORDER BY NextSweepAt, Id LIMIT 200",
            new { Now = DateTime.UtcNow }, cancellationToken: Ct))).Select(r => r.Detail).ToList(), Ct);

        Assert.That(string.Join("\n", plan), Does.Contain("IX_Complaints_NextSweepAt"));
    }

    [Test]
    public async Task SubmissionLimits_AreDecidedByTwoSeeks_NotByReadingEveryReportOfTheDay()
    {
        // Before: every report the resident filed that day, read and sorted inside the writer's transaction on each
        // submission (scripts/bench: 234 reports/s for one busy resident; 776/s with the seeks).
        var statements = ComplaintStore.SelectDecidingSubmissions(SqlDialect.Sqlite).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var statement in statements)
        {
            var plan = await Db.ReadAsync(async c => (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(new CommandDefinition(
                "EXPLAIN QUERY PLAN " + statement, new { UserId = 1, ShortSince = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc), Since = new DateTime(2026, 11, 30, 8, 10, 0, DateTimeKind.Utc), RecentSkip = 4, DaySkip = 19 },
                cancellationToken: Ct))).Select(r => r.Detail).ToList(), Ct);
            Assert.That(plan, Is.EqualTo(new[] { "SEARCH Complaints USING COVERING INDEX IX_Complaints_User_Submitted (UserId=? AND SubmittedAt>?)" }), statement);
        }
    }
}

/// <summary>The sweep through the real app: what is due and only that, and one bad case does not stop the rest.</summary>
public sealed class SweepByNextSweepAtTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [Test]
    public async Task NextSweepAt_FollowsEveryTransition()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("next-sweep-resident");
        using var community = await app.StaffAsync("next-sweep-community", "community", "gongyuanmen");
        var trackingNo = await resident.FileAsync();

        var submitted = await NextSweepAtAsync(app, trackingNo);
        (await community.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
        var accepted = await NextSweepAtAsync(app, trackingNo);
        (await community.ActAsync(trackingNo, "resolve", new { reply = "已修好" })).EnsureSuccessStatusCode();
        var resolved = await NextSweepAtAsync(app, trackingNo);
        (await resident.PostAsJsonAsync($"/api/complaints/{trackingNo}/evaluation", new { resolved = true, satisfaction = "satisfied" })).EnsureSuccessStatusCode();
        var closed = await NextSweepAtAsync(app, trackingNo);

        var c = app.Case(trackingNo);
        Assert.Multiple(() =>
        {
            Assert.That(submitted, Is.EqualTo(c.ResponseDueAt), "while submitted: the response deadline");
            Assert.That(accepted, Is.EqualTo(c.ResolutionDueAt), "while handled: the resolution deadline");
            Assert.That(c.ResolvedAt, Is.Not.Null, "closing keeps when it was resolved");
            Assert.That(resolved, Is.EqualTo(c.ResolvedAt + ComplaintMachine.EvaluationWindow), "while resolved: the end of the rating window");
            Assert.That(closed, Is.Null, "a closed case is never swept again");
        });
    }

    [Test]
    public async Task RunOnce_OneCaseFails_TheOthersAreStillSwept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new LianApiFactory(configureServices: s => s.AddSingleton<TimeProvider>(clock));
        var resident = await app.LoginAsync("sweep-failure-resident");
        var broken = await resident.FileAsync();
        var fine = new[] { await resident.FileAsync(), await resident.FileAsync() };
        // A case whose write fails, whatever the reason: the database refuses to update it.
        await app.Service<Database>().WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition($"""
            CREATE TRIGGER FailOneCase BEFORE UPDATE ON Complaints WHEN OLD.TrackingNo = '{broken}'
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
            """, transaction: tx, cancellationToken: Ct)), Ct);
        clock.Advance(TimeSpan.FromDays(2));

        var result = await new DeadlineSweep(app.Service<ComplaintStore>(), clock, NullLogger<DeadlineSweep>.Instance).RunOnceAsync(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.EqualTo(1), result.ToString());
            // The app's own sweep service ticks on the same clock and may do some of them first.
            Assert.That(result.Escalated + result.LostToAnotherInstance, Is.EqualTo(2), "the failure of one case does not abort the run");
            Assert.That(fine.Select(t => app.Case(t).HandlingLevel), Has.All.EqualTo(LianApi.Shared.HandlingLevel.Street));
            Assert.That(app.Case(broken).HandlingLevel, Is.EqualTo(LianApi.Shared.HandlingLevel.Community));
        });
    }

    private static Task<DateTime?> NextSweepAtAsync(LianApiFactory app, string trackingNo) =>
        app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT NextSweepAt FROM Complaints WHERE TrackingNo = @TrackingNo", new { TrackingNo = trackingNo }, cancellationToken: Ct)), Ct);
}
