using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using LianApi.Auth;
using LianApi.Calendar;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Photos;
using LianApi.Idempotency;
using LianApi.Staff;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SqlServer.TransactSql.ScriptDom;

using LianApi.Shared;

namespace LianApi.Tests.Data;

/// <summary>
/// Production runs on SQL Server, but most machines (and CI) only have SQLite. Every piece of SQL Server SQL the
/// app can send is parsed here with Microsoft's own T-SQL parser, so a SQLite-ism or a typo fails the build
/// instead of the first request in production.
/// </summary>
public sealed partial class SqlServerScriptTests
{
    private static readonly string[] SqlVerbs = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH"];

    public static IEnumerable<TestCaseData> MigrationBatches() =>
        SchemaMigrator.ScriptsFor(SqlDialect.SqlServer).SelectMany(script => script.Batches()
            .Select((batch, i) => new TestCaseData($"{script.Name}, batch {i + 1}", batch).SetArgDisplayNames($"{script.Name} batch {i + 1}")));

    [TestCaseSource(nameof(MigrationBatches))]
    public void MigrationBatch_SqlServer_Parses(string name, string sql) => AssertParses(name, sql);

    [Test]
    public void MigrationScripts_SqlServer_HaveTheSameVersionsAsSqlite()
    {
        // The migrator records version numbers, so a script missing on one provider would silently fork the schemas.
        var sqlServer = SchemaMigrator.ScriptsFor(SqlDialect.SqlServer).Select(s => s.Name).ToList();
        var sqlite = SchemaMigrator.ScriptsFor(SqlDialect.Sqlite).Select(s => s.Name).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(sqlServer, Is.Not.Empty);
            Assert.That(sqlServer, Is.EqualTo(sqlite));
        });
    }

    public static IEnumerable<TestCaseData> DialectStatements()
    {
        var d = SqlDialect.SqlServer;
        yield return Case(nameof(SqlDialect.CreateSchemaVersionsTable), d.CreateSchemaVersionsTable);
        yield return Case(nameof(SqlDialect.NextCounterValue), d.NextCounterValue);
        yield return Case(nameof(SqlDialect.SelectInsertedId), d.SelectInsertedId);
        // The exact arguments of CommunityStore.UpsertCommunitiesAsync, CommunityStore.UpsertGridsAsync, UserStore.UpsertAsync
        // and RenderedImageStore.SaveAsync.
        yield return Case("Upsert Communities", d.Upsert("Communities", ["Code"], ["StreetId", "Name", "Address", "Latitude", "Longitude"]));
        yield return Case("Upsert Grids", d.Upsert("Grids", ["Code"], ["CommunityId", "Name"]));
        yield return Case("Upsert Users", d.Upsert("Users", ["AppId", "OpenId"], ["LastLoginAt"], insertOnly: ["CreatedAt"]));
        yield return Case("Upsert RenderedImages", d.Upsert("RenderedImages", ["CommunityId", "Variant"], ["RenderKey", "Bytes", "CreatedAt"]));
    }

    [TestCaseSource(nameof(DialectStatements))]
    public void DialectStatement_SqlServer_Parses(string name, string sql) => AssertParses(name, sql);

    /// <summary>Every <c>const string</c> in the app that holds a SQL statement, e.g. <c>ComplaintStore.SelectOwnPage</c>.</summary>
    internal static IReadOnlyList<(string Name, string Sql)> SqlConstants() =>
        typeof(SchemaMigrator).Assembly.GetTypes()
            .SelectMany(type => type.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (Name: $"{type.Name}.{f.Name}", Sql: (string)f.GetRawConstantValue()!)))
            .Where(c => LooksLikeSql(c.Sql))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

    public static IEnumerable<TestCaseData> SqlConstantCases()
    {
        foreach (var (name, sql) in SqlConstants())
        {
            yield return Case(name, sql);
            if (EndsWithOrderBy().IsMatch(sql))
            {
                // ComplaintStore appends the row limit to its ORDER BY queries; OFFSET/FETCH is only valid right there.
                yield return Case($"{name} + LimitRows", sql + "\n" + SqlDialect.SqlServer.LimitRows);
            }
        }
    }

    [TestCaseSource(nameof(SqlConstantCases))]
    public void SqlConstant_SqlServer_Parses(string name, string sql) => AssertParses(name, sql);

    [Test]
    public void SqlConstants_Reflection_FindsTheStoresQueries()
    {
        // Guards the test above: if a refactor moved the SQL out of const fields, it would quietly parse nothing.
        var names = SqlConstants().Select(c => c.Name).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(names, Has.Count.GreaterThanOrEqualTo(10), string.Join(", ", names));
            Assert.That(names, Does.Contain("ComplaintStore.SelectOwnPage"));
            Assert.That(names, Does.Contain("OrgDirectory.SelectCommunities"));
            Assert.That(SqlConstantCases().Count(), Is.GreaterThan(names.Count), "no ORDER BY query was combined with LimitRows");
        });
    }

    public static IEnumerable<TestCaseData> SqliteOnlySql()
    {
        var sqlite = SqlDialect.Sqlite;
        yield return Case("SQLite upsert (ON CONFLICT … DO UPDATE)", sqlite.Upsert("Communities", ["Code"], ["StreetId", "Name"]));
        yield return Case("SQLite counter (RETURNING)", sqlite.NextCounterValue);
        yield return Case("SQLite LIMIT", "SELECT Id FROM Streets ORDER BY Id\n" + sqlite.LimitRows);
        yield return Case("SQLite CREATE TABLE IF NOT EXISTS", sqlite.CreateSchemaVersionsTable);
    }

    [TestCaseSource(nameof(SqliteOnlySql))]
    public void Parser_SqliteOnlySql_ReportsErrorsWithTheirPosition(string name, string sql)
    {
        // Proves the parser is strict enough for the tests above to fail at all.
        var errors = ParseErrors(sql);

        Assert.That(errors, Is.Not.Empty, $"{name} parsed as T-SQL, so these tests cannot catch SQLite-only syntax");
        Assert.That(errors, Has.All.Matches<ParseError>(e => e.Line >= 1 && e.Column >= 1));
    }

    [Test]
    public async Task StoreCommands_OnSqlServer_AllParse()
    {
        // The SQL as the stores really compose and send it (constants joined, dialect pieces appended), batch by batch.
        var source = new RecordingDataSource();
        await RunEveryStoreOperationAsync(source);

        var commands = source.Commands;
        Assert.That(commands, Has.Count.GreaterThan(20));
        Assert.Multiple(() =>
        {
            foreach (var (sql, i) in commands.Select((sql, i) => (sql, i)))
            {
                var errors = ParseErrors(sql);
                Assert.That(errors, Is.Empty, () => Describe($"command #{i + 1}", sql, errors));
            }
        });
    }

    [Test]
    public async Task SubmitAsync_OnSqlServer_ReadsScopeIdentityInTheSameBatchAsTheInsert()
    {
        // SCOPE_IDENTITY() only sees inserts of its own batch (learn.microsoft.com: "a scope is a module: a stored
        // procedure, trigger, function, or batch"), and every Dapper command is a batch of its own. Read in a later
        // command it is NULL, Dapper turns that into 0, and the ComplaintEvents insert then violates
        // FK_ComplaintEvents_Complaints: no report could be filed on SQL Server, while SQLite (last_insert_rowid()
        // is per connection) hides the mistake.
        var source = new RecordingDataSource();
        var db = RecordingDatabase(source);

        await new ComplaintStore(db, new OrgDirectory(db, TimeProvider.System), new PhotoStore(db)).SubmitAsync(NewComplaint(userId: 1), Claim(userId: 1), new SubmissionLimits(5, 20), CancellationToken.None);

        var identityReads = source.Commands.Where(c => c.Contains("SCOPE_IDENTITY", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.That(identityReads, Is.Not.Empty, "ComplaintStore no longer reads SCOPE_IDENTITY(); update this test to what it does instead");
        Assert.That(identityReads, Has.All.Contains("INSERT INTO Complaints"),
            "ComplaintStore.SubmitAsync must send SqlDialect.SelectInsertedId in the same command as InsertComplaint " +
            "(InsertComplaint + \"\\n\" + db.Dialect.SelectInsertedId via ExecuteScalarAsync<long>); on its own it returns NULL on SQL Server.\n" +
            "Commands sent:\n" + string.Join("\n---\n", source.Commands));
    }

    private static async Task RunEveryStoreOperationAsync(RecordingDataSource source)
    {
        var ct = CancellationToken.None;
        var db = RecordingDatabase(source);
        var migrator = new SchemaMigrator(db, new BulkLoad(db, TimeProvider.System, NullLogger<BulkLoad>.Instance), TimeProvider.System, NullLogger<SchemaMigrator>.Instance);
        var directory = new OrgDirectory(db, TimeProvider.System);
        var communities = new CommunityStore(db, directory);
        var photos = new PhotoStore(db);
        var complaints = new ComplaintStore(db, directory, photos);
        var idempotency = new IdempotencyStore(db);
        var staff = new StaffStore(db);
        var now = new DateTime(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);

        await migrator.MigrateAsync(ct);
        await communities.ListCategoriesAsync(ct);
        await communities.FindCategoryAsync("water", ct);
        await communities.ListCommunitiesAsync(null, ct);
        await communities.ListCommunitiesAsync("beiyuanmen", ct);
        await communities.FindCommunityAsync("gongyuanmen", ct);
        await communities.ListStreetsAsync(ct);
        await communities.CommunityIdsByCodeAsync(ct);
        await communities.UpsertCommunitiesAsync([new CommunityUpsert("c1", 1, "社区", null, 34.27, 108.94)], ct);
        await communities.UpsertGridsAsync([new GridUpsert("g1", 1, "网格")], ct);
        await new UserStore(db).UpsertAsync("wx-app", "open-id", now, ct);
        await complaints.SubmitAsync(NewComplaint(userId: 1), Claim(userId: 1), new SubmissionLimits(5, 20), ct);
        await complaints.FindByClientRequestAsync(1, "client-request-1", ct);
        await complaints.FindForUserAsync("LH20261128-0001", 1, ct);
        await complaints.ListForUserAsync(1, null, null, 20, ct);
        await complaints.ListForUserAsync(1, ComplaintStatus.Submitted, 42, 20, ct);
        await idempotency.FindAsync(Claim(userId: 1), ct);
        await idempotency.PruneAsync(now.AddHours(-72), ct);
        await communities.UpsertDepartmentsAsync([new DepartmentUpsert("d1", "部门")], ct);
        await communities.FindUnitAsync(HandlingLevel.Department, "d1", ct);
        await communities.FindGridAsync("g1", ct);
        await complaints.LoadAsync("LH20261128-0001", ct);
        await complaints.ListSweepCandidatesAsync(now, 200, ct);
        await complaints.RevealPhoneAsync(1, 1, now, ct);
        var state = new Complaint { Id = 1, Version = 1, Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.Community, CategoryCode = "water" };
        var loaded = new ComplaintWithEvents(state, []);
        var events = new[] { new ComplaintEvent(EventKinds.Evaluated, "n", false), new ComplaintEvent(EventKinds.Closed, null, true) };
        await complaints.ApplyAsync(loaded, new Transition(state, events), Actor.System, now, ct, new Evaluation(true, Satisfaction.Satisfied, null));
        var clean = new CleanPhoto([1, 2], "hash", 2, 1, [3], "thumb-hash");
        await photos.WaitBeforeUploadAsync(1, "127.0.0.1", 60, 30, now, ct);
        await photos.RecordRefusalAsync(1, "127.0.0.1", now, ct);
        await photos.DeleteExpiredRefusalsAsync(now, ct);
        var photo = await photos.InsertAsync(1, clean, 60, now, ct);
        await photos.FindAsync(photo.Id, ct);
        await photos.SetModerationAsync(photo.Id, Moderation.Risky, ct);
        await photos.DeleteUnattachedAsync(now, ct);
        await complaints.FindByIdAsync(1, ct);
        var withPhotos = new[] { new ComplaintEvent(EventKinds.Resolved, "r", true, null, [photo.Id]) };
        try
        {
            await complaints.ApplyAsync(loaded, new Transition(state, withPhotos), Actor.System, now, ct);
            await complaints.SubmitAsync(NewComplaint(userId: 1) with { PhotoIds = [photo.Id] }, Claim(userId: 1), new SubmissionLimits(5, 20), ct);
        }
        catch (PhotoNotAttachableException)
        {
            // The recording source answers no rows; the statements were sent, which is what is parsed here.
        }
        var code = await staff.AddAsync(new NewStaff("员", "community", HandlingLevel.Community, 1, "社区", null), now, ct);
        await staff.BindToUserAsync(code.Code, 1, now, ct);
        await staff.FindActiveByUserAsync(1, ct);
        await staff.RenewCodeAsync(1, now, ct);
        await staff.DeactivateAsync(1, ct);
        await staff.ListAsync(ct);
        var member = new StaffMember { Id = 1, Role = "street", UnitId = 1, UserId = 1 };
        var query = new InboxQuery("submitted", "water", true, true, false, "street", "gongyuanmen", new ChinaTimeParameter(now), new ChinaTimeParameter(now), "urgent", 20, null);
        await new StaffInboxStore(db, directory, TimeProvider.System).ListAsync(member, query, urgent: true, 20, new InboxCursor(5, 1, now), ct);
        await new StaffInboxStore(db, directory, TimeProvider.System).ListAsync(member, query, urgent: false, 20, null, ct);
        // Without codes (an empty directory names no category or community), so the statements themselves are sent:
        // one scope, the two-scope UNION of a community, a grid worker's, each in both orders with a cursor.
        var open = query with { Category = null, Community = null };
        foreach (var who in new[] { member, member with { Role = "community" }, member with { Role = "community", GridId = 3 }, member with { Role = "dispatcher" } })
        {
            await new StaffInboxStore(db, directory, TimeProvider.System).ListAsync(who, open, urgent: true, 20, new InboxCursor(5, 1, now), ct);
            await new StaffInboxStore(db, directory, TimeProvider.System).ListAsync(who, open, urgent: false, 20, new InboxCursor(5, 1, now), ct);
            // Search: the bigram table with its LIKE check, the short text's window, a tracking number, a phone, the new filters.
            foreach (var search in new[] { open with { Q = "路灯坏了", Phone = "13812345678" }, open with { Q = "灯" }, open with { Q = "LH20261202-0043" },
                         open with { Channel = "hotline", Assignee = 3, Street = "s", Department = "d", Grid = "g" } })
            {
                await new StaffInboxStore(db, directory, TimeProvider.System).ListAsync(who, search, urgent: false, 20, new InboxCursor(5, 1, now), ct);
            }
            // A period in the urgent order is a branch per month; the recording source answers no span, so it is built here.
            var year = open with { ContentReview = false, From = new ChinaTimeParameter(now.AddMonths(-13)), To = new ChinaTimeParameter(now) };
            var (sql, parameters) = new StaffInboxStore(db, directory, TimeProvider.System).Statement(who, year, urgent: true, 20, new InboxCursor(5, 1, now),
                await directory.GetAsync(ct), new StaffInboxStore.ReceivedSpan(now.AddYears(-3), now))!.Value;
            Assert.That(sql, Does.Contain("ReceivedMonth = @Month13"));
            await db.ReadAsync(c => Dapper.SqlMapper.QueryAsync(c, sql, parameters), ct);
        }
        await new CalendarStore(db, TimeProvider.System).UpsertAsync([new CalendarDay(new DateOnly(2026, 10, 1), false, "国庆")], ct);
        await new CalendarStore(db, TimeProvider.System).GetAsync(ct);
        await new LeaseStore(db).TryAcquireAsync(LeaseStore.DeadlineSweep, "instance", now, TimeSpan.FromMinutes(2), ct);
        await new LeaseStore(db).ReleaseAsync(LeaseStore.DeadlineSweep, "instance", now, ct);
        await new UserStore(db).FindOpenIdAsync(1, ct);
        await complaints.SubmitAsync(NewComplaint(userId: 1) with
        {
            ContentCheck = new ComplaintEvent(EventKinds.ContentChecked, "微信内容安全检测：通过", false, Actor.SystemName), ContentReview = true,
        }, Claim(userId: 1), new SubmissionLimits(5, 20), ct);
        var pushes = new LianApi.Wechat.PushEventStore(db);
        await pushes.StoreAsync("wxa_media_check:trace-1", "wxa_media_check", "{}", now, ct);
        await pushes.StoreAsync("wxa_media_check:trace-2", "wxa_media_check", "{}", now, ct, signedWith: (1733112000, "nonce-1"));
        await pushes.FindAsync(1, ct);
        await pushes.MarkProcessedAsync(1, now, ct);
        var jobs = new LianApi.Wechat.WechatJobStore(db);
        await jobs.EnqueueAsync(new LianApi.Wechat.WechatJobStore.NewJob("media-check", "media-check:1", "{}", now), now, ct);
        await jobs.EnqueueAsync(new LianApi.Wechat.WechatJobStore.NewJob("media-check", null, "{}", now), now, ct);
        await jobs.ListDueAsync(now, 20, ct);
        await jobs.TryClaimAsync(1, "instance", now, ct);
        await jobs.CompleteAsync(1, "instance", now, ct);
        await jobs.FailAsync(new LianApi.Wechat.WechatJob { Id = 1, Kind = "media-check", Attempts = 1 }, "instance", "error", now, ct);
        await jobs.FindAsync(1, ct);
    }

    [Test]
    public async Task Decisions_OnSqlServer_ReadTheRowCountInTheSameBatch()
    {
        // With NOCOUNT on in a server's user options the driver reports -1 rows: a lost race would look like a win.
        var source = new RecordingDataSource();
        await RunEveryStoreOperationAsync(source);

        var decisive = source.Commands.Where(c => !c.Contains("CREATE INDEX", StringComparison.Ordinal)).Where(c => c.TrimStart().StartsWith("UPDATE Complaints SET", StringComparison.Ordinal)
                                                  || c.Contains("UPDATE Staff SET", StringComparison.Ordinal)
                                                  || c.Contains("UPDATE Leases SET Owner", StringComparison.Ordinal)
                                                  || c.Contains("DELETE TOP", StringComparison.Ordinal)).ToList();

        Assert.That(decisive, Has.Count.GreaterThanOrEqualTo(5));
        Assert.That(decisive, Has.All.Contains("SELECT @@ROWCOUNT;"), string.Join("\n---\n", decisive));
    }

    private static Database RecordingDatabase(RecordingDataSource source) =>
        new(source, SqlDialect.SqlServer, Options.Create(new DatabaseOptions()),
            new StorageHealth(TimeProvider.System, NullLogger<StorageHealth>.Instance), TimeProvider.System, NullLogger<Database>.Instance);

    private static NewComplaint NewComplaint(long userId)
    {
        var at = new DateTime(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);
        var community = new CommunityRow { Id = 1, Code = "gongyuanmen", Name = "贡院门社区" };
        var category = new CategoryRow { Id = 1, Code = "water", Name = "供水排水", ResponseHours = 4, ResolutionWorkingDays = 3 };
        return new NewComplaint(userId, "client-request-1", community, category, "楼道灯坏了", null, null, null, null, null, false, at, at.AddHours(24));
    }

    private static IdempotencyClaim Claim(long userId) => new(userId, ComplaintsApi.SubmitEndpoint, "client-request-1", "hash");

    private static TestCaseData Case(string name, string sql) => new TestCaseData(name, sql).SetArgDisplayNames(name);

    private static bool LooksLikeSql(string value)
    {
        var text = value.TrimStart();
        return SqlVerbs.Any(verb => text.StartsWith(verb, StringComparison.Ordinal)
                                    && (text.Length == verb.Length || char.IsWhiteSpace(text[verb.Length])));
    }

    internal static IList<ParseError> ParseErrors(string sql) => Parse(sql).Errors;

    private static (TSqlFragment Fragment, IList<ParseError> Errors) Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        return (fragment, errors);
    }

    private static void AssertParses(string name, string sql)
    {
        // Dapper expands a list parameter, `IN @Ids`, into `IN (@Ids1, @Ids2, …)`: parse what SQL Server receives.
        sql = DapperListParameter().Replace(sql, "IN (@$1)");
        var (fragment, errors) = Parse(sql);
        Assert.That(errors, Is.Empty, () => Describe(name, sql, errors));
        // An empty or comment-only text parses cleanly too; a statement must actually be there.
        var statements = fragment is TSqlScript script ? script.Batches.Sum(b => b.Statements.Count) : 0;
        Assert.That(statements, Is.GreaterThan(0), $"{name} holds no T-SQL statement:\n{sql}");
    }

    private static string Describe(string name, string sql, IList<ParseError> errors)
    {
        var text = new StringBuilder($"{name} is not valid T-SQL (SQL Server 2022 parser), {errors.Count} error(s):\n");
        foreach (var e in errors)
        {
            text.Append($"  line {e.Line}, column {e.Column}: {e.Message} (error {e.Number})\n");
        }
        text.Append("SQL:\n");
        var lines = sql.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            text.Append($"{i + 1,4}| {lines[i].TrimEnd('\r')}\n");
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\bIN\s+@(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex DapperListParameter();

    [GeneratedRegex(@"\bORDER\s+BY\s+[^;()']*$", RegexOptions.IgnoreCase)]
    private static partial Regex EndsWithOrderBy();
}
