using LianApi.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using System.Text.Json;
using Dapper;
using LianApi.Auth;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Idempotency;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Data;

/// <summary>An empty database of one provider that a fixture owns and removes afterwards.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    public string ConnectionString { get; protected set; } = "";

    public abstract Task CreateAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// The app's own data registrations and stores, without the web host: no hosted service runs, so nothing
    /// migrates or seeds behind the test's back.
    /// </summary>
    public ServiceProvider BuildServices(TimeProvider time)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] = Provider.ToString(),
                [$"ConnectionStrings:{DatabaseOptions.ConnectionStringName}"] = ConnectionString,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(time);
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" });
        services.AddData();
        services.AddCommunities();
        services.AddSingleton<ComplaintStore>();
        services.AddSingleton<LianApi.Photos.PhotoStore>();
        services.AddSingleton<UserStore>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private string? path;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override Task CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lianapi-store-tests");
        Directory.CreateDirectory(directory);
        path = Path.Combine(directory, $"{Guid.NewGuid():N}.db");
        ConnectionString = $"Data Source={path}";
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        if (path is null)
        {
            return ValueTask.CompletedTask;
        }
        // Pooled connections keep the file open; on Windows the delete would fail otherwise.
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A leftover temp file is harmless; failing the run over it would not be.
            }
        }
        return ValueTask.CompletedTask;
    }
}

public sealed class SqlServerTestDatabase : TestDatabase
{
    public const string EnvironmentVariable = "LIANAPI_TEST_SQLSERVER";

    private string? masterConnectionString;
    private string? name;

    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public override async Task CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Ignore($"{EnvironmentVariable} is not set: the SQL Server run of the store tests needs a real server; SQL Server SQL is still parsed by SqlServerScriptTests");
        }
        masterConnectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = "master" }.ConnectionString;
        name = $"LianApiTests_{Guid.NewGuid():N}";
        await ExecuteOnMasterAsync($"CREATE DATABASE [{name}]; ALTER DATABASE [{name}] SET READ_COMMITTED_SNAPSHOT ON;");
        ConnectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
    }

    public override async ValueTask DisposeAsync()
    {
        if (name is null)
        {
            return;
        }
        SqlConnection.ClearAllPools();
        // Any connection still open (a pool elsewhere, a crashed test) would block the drop.
        await ExecuteOnMasterAsync($"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}];");
    }

    private async Task ExecuteOnMasterAsync(string sql)
    {
        await using var connection = new SqlConnection(masterConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The stores against a real database of each provider. One database per fixture keeps the tests fast, so each
/// test uses its own users, codes and China days.
/// </summary>
[TestFixture(typeof(SqliteTestDatabase), Category = "Sqlite")]
[TestFixture(typeof(SqlServerTestDatabase), Category = "SqlServer")]
public sealed class StoreTests<TDatabase> where TDatabase : TestDatabase, new()
{
    private const string AppId = "wx-store-tests";

    private TDatabase? database;
    private ServiceProvider? services;
    private CommunityRow community = null!;
    private CategoryRow category = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        database = new TDatabase();
        await database.CreateAsync();
        services = database.BuildServices(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        await Service<SchemaMigrator>().MigrateAsync(Ct);

        var org = Service<CommunityStore>();
        var street = (await org.ListStreetsAsync(Ct)).Single(s => s.Code == "beiyuanmen");
        await org.UpsertCommunitiesAsync([new CommunityUpsert("store-tests", street.Id, "贡院门社区", null, null, null)], Ct);
        community = (await org.FindCommunityAsync("store-tests", Ct))!;
        category = (await org.FindCategoryAsync("sanitation", Ct))!;
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    [Test]
    public async Task Migrate_TwoInstancesStartingTogether_ApplyEveryScriptExactlyOnce()
    {
        await using var fresh = new TDatabase();
        await fresh.CreateAsync();
        await using var first = fresh.BuildServices(TimeProvider.System);
        await using var second = fresh.BuildServices(TimeProvider.System);
        var scripts = SchemaMigrator.ScriptsFor(first.GetRequiredService<Database>().Dialect);

        var applied = await Task.WhenAll(
            Task.Run(() => first.GetRequiredService<SchemaMigrator>().MigrateAsync(Ct)),
            Task.Run(() => second.GetRequiredService<SchemaMigrator>().MigrateAsync(Ct)));

        var db = first.GetRequiredService<Database>();
        var versions = await db.ReadAsync(async c => (await c.QueryAsync<int>(new CommandDefinition(
            "SELECT Version FROM SchemaVersions ORDER BY Version", cancellationToken: Ct))).ToList(), Ct);
        Assert.Multiple(async () =>
        {
            Assert.That(applied.SelectMany(a => a).Select(s => s.Version).Order(), Is.EqualTo(scripts.Select(s => s.Version)),
                "each script applied by exactly one of the two");
            Assert.That(versions, Is.EqualTo(scripts.Select(s => s.Version)));
            Assert.That(await CountAsync(db, "SELECT COUNT(*) FROM Streets"), Is.EqualTo(9));
        });
    }

    [Test]
    public async Task Lease_TwoInstancesAtOnce_ExactlyOneHoldsIt()
    {
        await using var other = database!.BuildServices(TimeProvider.System);
        var now = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var name = LeaseStore.IdempotencyPruner;

        var wins = await Task.WhenAll(
            Task.Run(() => Service<LeaseStore>().TryAcquireAsync(name, "store-test-a", now, TimeSpan.FromMinutes(2), Ct)),
            Task.Run(() => other.GetRequiredService<LeaseStore>().TryAcquireAsync(name, "store-test-b", now, TimeSpan.FromMinutes(2), Ct)));
        await Service<LeaseStore>().ReleaseAsync(name, wins[0] ? "store-test-a" : "store-test-b", now, Ct);

        Assert.That(wins.Count(w => w), Is.EqualTo(1));
    }

    [Test]
    public async Task Sweep_TwoSweepersOnOneDatabase_EscalateEachCaseOnce()
    {
        // A database of its own: the sweep acts on every due case, and the fixture's other tests own theirs.
        await using var fresh = new TDatabase();
        await fresh.CreateAsync();
        var at = new DateTime(2028, 3, 1, 1, 0, 0, DateTimeKind.Utc);
        var clock = new FakeTimeProvider(new DateTimeOffset(at.AddDays(3)));
        await using var first = fresh.BuildServices(clock);
        await using var second = fresh.BuildServices(clock);
        await first.GetRequiredService<SchemaMigrator>().MigrateAsync(Ct);
        var org = first.GetRequiredService<CommunityStore>();
        var street = (await org.ListStreetsAsync(Ct)).Single(s => s.Code == "beiyuanmen");
        await org.UpsertCommunitiesAsync([new CommunityUpsert("two-sweepers", street.Id, "贡院门社区", null, null, null)], Ct);
        var place = (await org.FindCommunityAsync("two-sweepers", Ct))!;
        var user = await first.GetRequiredService<UserStore>().UpsertAsync(AppId, "openid-two-sweepers", at, Ct);
        var filed = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var complaint = new NewComplaint(user, $"two-sweepers-{i:D4}", place, category, "楼道灯坏了，晚上看不见台阶", null,
                null, null, null, null, false, at.AddSeconds(i), at.AddSeconds(i).AddHours(24));
            var claim = new IdempotencyClaim(user, ComplaintsApi.SubmitEndpoint, complaint.ClientRequestId, "hash");
            filed.Add((await first.GetRequiredService<ComplaintStore>().SubmitAsync(complaint, claim, new SubmissionLimits(1000, 1000), Ct)).TrackingNo);
        }
        var one = new DeadlineSweep(first.GetRequiredService<ComplaintStore>(), clock, NullLogger<DeadlineSweep>.Instance);
        var two = new DeadlineSweep(second.GetRequiredService<ComplaintStore>(), clock, NullLogger<DeadlineSweep>.Instance);

        var results = await Task.WhenAll(Task.Run(() => one.RunOnceAsync(Ct)), Task.Run(() => two.RunOnceAsync(Ct)));

        var escalated = new List<(string Level, int Version)>();
        foreach (var trackingNo in filed)
        {
            var c = (await first.GetRequiredService<ComplaintStore>().LoadAsync(trackingNo, Ct))!.Complaint;
            escalated.Add((c.HandlingLevel, c.Version));
        }
        Assert.Multiple(() =>
        {
            Assert.That(escalated, Is.All.EqualTo((HandlingLevel.Street, 2)), "one level up, one write per case");
            Assert.That(results.Sum(r => r.Escalated), Is.EqualTo(filed.Count), "each case counted by the sweeper that did it");
            Assert.That(results.Sum(r => r.Failed), Is.Zero);
        });
    }

    [Test]
    public async Task Tokens_DifferingOnlyInCase_AreDifferent()
    {
        var users = Service<UserStore>();
        var at = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

        var lower = await users.UpsertAsync(AppId, "o-case-token", at, Ct);
        var upper = await users.UpsertAsync(AppId, "O-CASE-TOKEN", at, Ct);
        var first = Created(await SubmitAsync(lower, "case-key-abcd", at));
        var second = Created(await SubmitAsync(lower, "CASE-KEY-ABCD", at.AddSeconds(1)));

        Assert.Multiple(() =>
        {
            Assert.That(upper, Is.Not.EqualTo(lower), "openids are exact: another case is another user");
            Assert.That(second.TrackingNo, Is.Not.EqualTo(first.TrackingNo), "idempotency keys are exact: another case is another report");
        });
    }

    [Test]
    public async Task Migrate_Twice_AppliesEveryScriptOnceThenNothing()
    {
        await using var fresh = new TDatabase();
        await fresh.CreateAsync();
        await using var freshServices = fresh.BuildServices(TimeProvider.System);
        var migrator = freshServices.GetRequiredService<SchemaMigrator>();
        var db = freshServices.GetRequiredService<Database>();
        var scripts = SchemaMigrator.ScriptsFor(db.Dialect);

        var first = await migrator.MigrateAsync(Ct);
        var second = await migrator.MigrateAsync(Ct);

        var versions = await db.ReadAsync(async c => (await c.QueryAsync<int>(new CommandDefinition(
            "SELECT Version FROM SchemaVersions ORDER BY Version", cancellationToken: Ct))).ToList(), Ct);
        var streets = await CountAsync(db, "SELECT COUNT(*) FROM Streets");
        var current = await migrator.CurrentVersionAsync(Ct);
        Assert.Multiple(() =>
        {
            Assert.That(first.Select(s => s.Name), Is.EqualTo(scripts.Select(s => s.Name)));
            Assert.That(second, Is.Empty, "an up-to-date schema must not be touched");
            Assert.That(versions, Is.EqualTo(scripts.Select(s => s.Version)), "exactly one SchemaVersions row per script");
            Assert.That(streets, Is.EqualTo(9), "the reference data must not be inserted twice");
            Assert.That(current, Is.EqualTo(migrator.LatestVersion));
        });
    }

    [Test]
    public async Task UpsertCommunities_SameCodesTwice_UpdatesInsteadOfDuplicating()
    {
        var org = Service<CommunityStore>();
        var streets = (await org.ListStreetsAsync(Ct)).ToDictionary(s => s.Code, s => s.Id);
        await org.UpsertCommunitiesAsync(
        [
            new CommunityUpsert("upsert-a", streets["beiyuanmen"], "旧名社区", "旧地址 1 号", 34.26, 108.94),
            new CommunityUpsert("upsert-b", streets["beiyuanmen"], "不变社区", null, null, null),
        ], Ct);
        var before = (await org.FindCommunityAsync("upsert-a", Ct))!;

        await org.UpsertCommunitiesAsync(
        [
            new CommunityUpsert("upsert-a", streets["qingnianlu"], "新名社区", null, null, null),
            new CommunityUpsert("upsert-b", streets["beiyuanmen"], "不变社区", null, null, null),
        ], Ct);

        var after = (await org.FindCommunityAsync("upsert-a", Ct))!;
        var rows = await CountAsync(Service<Database>(), "SELECT COUNT(*) FROM Communities WHERE Code IN ('upsert-a', 'upsert-b')");
        Assert.Multiple(() =>
        {
            Assert.That(rows, Is.EqualTo(2));
            Assert.That(after.Id, Is.EqualTo(before.Id), "an upsert keeps the row (and the QR codes pointing at it)");
            Assert.That(after.Name, Is.EqualTo("新名社区"));
            Assert.That(after.StreetCode, Is.EqualTo("qingnianlu"));
            Assert.That(after.Address, Is.Null);
            Assert.That(after.Latitude, Is.Null);
        });
    }

    [Test]
    public async Task UpsertUser_SameAppAndOpenId_ReturnsTheSameIdOtherwiseANewOne()
    {
        var users = Service<UserStore>();
        var firstLogin = new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);
        var secondLogin = firstLogin.AddDays(2);

        var alice = await users.UpsertAsync(AppId, "openid-alice", firstLogin, Ct);
        var aliceAgain = await users.UpsertAsync(AppId, "openid-alice", secondLogin, Ct);
        var bob = await users.UpsertAsync(AppId, "openid-bob", firstLogin, Ct);
        var aliceInOtherApp = await users.UpsertAsync("wx-other-app", "openid-alice", firstLogin, Ct);

        var times = await Service<Database>().ReadAsync(c => c.QuerySingleAsync<UserTimes>(new CommandDefinition(
            "SELECT CreatedAt, LastLoginAt FROM Users WHERE Id = @Id", new { Id = alice }, cancellationToken: Ct)), Ct);
        Assert.Multiple(() =>
        {
            Assert.That(aliceAgain, Is.EqualTo(alice));
            Assert.That(bob, Is.Not.EqualTo(alice));
            Assert.That(aliceInOtherApp, Is.Not.EqualTo(alice).And.Not.EqualTo(bob), "an openid means nothing outside its mini-program");
            Assert.That(times.CreatedAt, Is.EqualTo(firstLogin), "CreatedAt is insert-only");
            Assert.That(times.LastLoginAt, Is.EqualTo(secondLogin));
        });
    }

    [Test]
    public async Task SubmitAsync_SameAndNextChinaDay_NumbersPerChinaDayFrom0001()
    {
        var user = await UserAsync("openid-tracking");
        // 15:59Z and 16:01Z are 23:59 and 00:01 in Xi'an (UTC+8): two different China days.
        var lastMinute = new DateTime(2026, 11, 28, 15, 59, 0, DateTimeKind.Utc);

        var first = await SubmitAsync(user, "tracking-key-0001", lastMinute);
        var second = await SubmitAsync(user, "tracking-key-0002", lastMinute.AddSeconds(30));
        var nextDay = await SubmitAsync(user, "tracking-key-0003", lastMinute.AddMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(Created(first).TrackingNo, Is.EqualTo("LH20261128-0001"));
            Assert.That(Created(second).TrackingNo, Is.EqualTo("LH20261128-0002"));
            Assert.That(Created(nextDay).TrackingNo, Is.EqualTo("LH20261129-0001"));
            Assert.That(Created(first).SubmittedAt, Is.EqualTo(new DateTimeOffset(lastMinute)));
            Assert.That(Created(first).Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(Created(first).Community.Code, Is.EqualTo("store-tests"));
            Assert.That(Created(first).Timeline.Select(t => t.Kind), Is.EqualTo(new[] { "submitted" }));
        });
    }

    [Test]
    public async Task SubmitAsync_KeyAlreadyClaimed_ThrowsDuplicateKeyAndFilesNoSecondRow()
    {
        var user = await UserAsync("openid-idempotent");
        var at = new DateTime(2026, 12, 5, 2, 0, 0, DateTimeKind.Utc);
        var created = Created(await SubmitAsync(user, "idempotent-key-0001", at));

        // The phone lost the 201 and sends the very same report again: the store refuses, the endpoint replays.
        var retry = Assert.CatchAsync<Exception>(() => SubmitAsync(user, "idempotent-key-0001", at.AddSeconds(5)));
        var filed = await Service<ComplaintStore>().FindByClientRequestAsync(user, "idempotent-key-0001", Ct);
        var rows = await CountComplaintsAsync(user);
        Assert.Multiple(() =>
        {
            Assert.That(DuplicateKey.Is(retry!), Is.True, retry!.ToString());
            Assert.That(filed?.TrackingNo, Is.EqualTo(created.TrackingNo));
            Assert.That(rows, Is.EqualTo(1), "a retry must not file a second report");
        });
    }

    [Test]
    public async Task ListForUserAsync_SeveralPages_PagesByKeysetNewestFirst()
    {
        var user = await UserAsync("openid-pager");
        var neighbour = await UserAsync("openid-pager-neighbour");
        var at = new DateTime(2027, 1, 10, 1, 0, 0, DateTimeKind.Utc);
        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add(Created(await SubmitAsync(user, $"pager-key-{i:D4}", at.AddMinutes(i))).TrackingNo);
            // Interleaved reports of another resident must neither show up nor shift the pages.
            await SubmitAsync(neighbour, $"pager-neighbour-key-{i:D4}", at.AddMinutes(i).AddSeconds(1));
        }

        var pages = new List<IReadOnlyList<string>>();
        long? cursor = null;
        do
        {
            var (items, lastId) = await Service<ComplaintStore>().ListForUserAsync(user, null, cursor, 2, Ct);
            pages.Add(items.Select(i => i.TrackingNo).ToList());
            cursor = lastId;
        }
        while (cursor is not null && pages.Count < 10);

        var resolved = await Service<ComplaintStore>().ListForUserAsync(user, ComplaintStatus.Resolved, null, 20, Ct);
        Assert.Multiple(() =>
        {
            Assert.That(pages.Select(p => p.Count), Is.EqualTo(new[] { 2, 2, 1 }));
            Assert.That(pages.SelectMany(p => p), Is.EqualTo(Enumerable.Reverse(submitted)));
            Assert.That(resolved.Items, Is.Empty);
            Assert.That(resolved.LastId, Is.Null);
        });
    }

    [Test]
    public async Task FindForUserAsync_AnotherUsersTrackingNo_ReturnsNull()
    {
        var owner = await UserAsync("openid-owner");
        var stranger = await UserAsync("openid-stranger");
        var trackingNo = Created(await SubmitAsync(owner, "owner-key-0001", new DateTime(2027, 2, 3, 4, 0, 0, DateTimeKind.Utc))).TrackingNo;

        var ownersView = await Service<ComplaintStore>().FindForUserAsync(trackingNo, owner, Ct);
        var strangersView = await Service<ComplaintStore>().FindForUserAsync(trackingNo, stranger, Ct);

        Assert.Multiple(() =>
        {
            Assert.That(ownersView?.TrackingNo, Is.EqualTo(trackingNo));
            Assert.That(strangersView, Is.Null);
        });
    }

    private T Service<T>() where T : notnull => services!.GetRequiredService<T>();

    private Task<long> UserAsync(string openId) =>
        Service<UserStore>().UpsertAsync(AppId, openId, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), Ct);

    private Task<ResidentView> SubmitAsync(long userId, string key, DateTime submittedAt)
    {
        var complaint = new NewComplaint(userId, key, community, category, "楼道灯坏了，晚上看不见台阶", "3 号楼 2 单元",
            null, null, null, null, false, submittedAt, submittedAt.AddHours(24));
        var claim = new IdempotencyClaim(userId, ComplaintsApi.SubmitEndpoint, key, "request-hash-" + key);
        return Service<ComplaintStore>().SubmitAsync(complaint, claim, new SubmissionLimits(1000, 1000), Ct);
    }

    private static ComplaintDetail Created(ResidentView view) =>
        JsonSerializer.Deserialize<ComplaintDetail>(view.Json, ComplaintStore.ViewJson)!;

    private Task<long> CountComplaintsAsync(long userId) =>
        Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM Complaints WHERE UserId = @UserId", new { UserId = userId }, cancellationToken: Ct)), Ct);

    private static Task<long> CountAsync(Database db, string sql) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: Ct)), Ct);

    private sealed class UserTimes
    {
        public DateTime CreatedAt { get; init; }

        public DateTime LastLoginAt { get; init; }
    }
}
