using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using LianApi.Data;
using LianApi.Tests.Infrastructure;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Data;

/// <summary>
/// A full disk, injected as SQLITE_FULL through the data source (deterministic, and no root or mount needed):
/// writes answer 503 + Retry-After with a code, readiness goes unhealthy and comes back by itself, the condition
/// is logged once a minute instead of once a request, and nothing acknowledged is lost.
/// </summary>
public sealed class StorageFailureTests
{
    public enum FaultPoint { Commit, Statement }

    private const string DiskFull = "database or disk is full";

    private static SqliteException SqliteFull() => new($"SQLite Error 13: '{DiskFull}'.", 13, 13);

    [TestCase(FaultPoint.Commit, TestName = "Submit_WhileCommitsFailWithDiskFull_Returns503ThenReadinessRecoversByItselfAndNothingAcknowledgedIsLost")]
    [TestCase(FaultPoint.Statement, TestName = "Submit_WhileStatementsFailWithDiskFull_Returns503ThenReadinessRecoversByItselfAndNothingAcknowledgedIsLost")]
    public async Task Submit_WhileTheDiskIsFull_Returns503ThenRecovers(FaultPoint faultPoint)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new LianApiFactory(configureServices: services =>
        {
            CountingDataSource.Install(services);
            services.AddSingleton<TimeProvider>(clock);
        });
        var resident = await app.LoginAsync("resident-on-a-full-disk");
        var faults = CountingDataSource.Of(app);
        var acknowledged = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            acknowledged.Add(await TrackingNoAsync(await resident.SubmitAsync(Requests.Complaint($"第{i}个问题：楼道灯坏了"))));
        }
        var readyBefore = await resident.GetAsync("/health/ready");

        Inject(faults, faultPoint, SqliteFull);
        var retriedKey = Guid.NewGuid().ToString();
        var failed = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            resident.SubmitAsync(Requests.Complaint($"磁盘满时的第{i}个问题"), key: i == 0 ? retriedKey : null)));
        var readWhileFull = await resident.GetAsync($"/api/complaints/{acknowledged[0]}");
        var readyWhileFull = await resident.GetAsync("/health/ready");
        var logLinesAfter20 = LinesAbout(app, DiskFull);
        clock.Advance(StorageHealth.LogInterval);
        var failedAMinuteLater = await resident.SubmitAsync(Requests.Complaint("一分钟后仍然磁盘满"));
        var logLinesAMinuteLater = LinesAbout(app, DiskFull);

        Inject(faults, faultPoint, null);
        clock.Advance(StorageHealth.ProbeInterval);
        var readyAfter = await resident.GetAsync("/health/ready");
        var recoveredLines = LinesAbout(app, "Storage recovered");
        var retried = await resident.SubmitAsync(Requests.Complaint("磁盘满时的第0个问题"), key: retriedKey);
        acknowledged.Add(await TrackingNoAsync(retried));
        acknowledged.Add(await TrackingNoAsync(await resident.SubmitAsync(Requests.Complaint("恢复以后的新问题"))));

        Assert.Multiple(async () =>
        {
            Assert.That(readyBefore.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            foreach (var response in failed.Append(failedAMinuteLater))
            {
                var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.ServiceUnavailable);
                Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(30)));
                Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("storage_unavailable"));
                Assert.That(problem.GetProperty("detail").GetString(), Does.Not.Contain("SQLite").And.Not.Contain("disk"), "no internals in the detail");
            }
            Assert.That(readWhileFull.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads need no free space");
            Assert.That(readyWhileFull.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await readyWhileFull.Content.ReadAsStringAsync(), Is.EqualTo("Unhealthy"));
            Assert.That(logLinesAfter20, Has.Count.EqualTo(1), "21 failed writes (with the readiness probe), one log line:\n" + string.Join("\n", logLinesAfter20));
            Assert.That(logLinesAMinuteLater, Has.Count.EqualTo(2), "a minute later, one summary line more");
            Assert.That(logLinesAMinuteLater[^1], Does.Contain("still failing").And.Contain("21 more failures"));

            Assert.That(readyAfter.StatusCode, Is.EqualTo(HttpStatusCode.OK), "recovered with no client write, by the readiness probe");
            Assert.That(recoveredLines, Has.Count.EqualTo(1));
            Assert.That(recoveredLines.FirstOrDefault(), Does.Contain("21 more failures after the first one"));
            Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the failed report was not stored, so its retry creates it");
            Assert.That(retried.Headers.Contains("Idempotent-Replayed"), Is.False);
        });
        foreach (var trackingNo in acknowledged)
        {
            var stored = await resident.GetAsync($"/api/complaints/{trackingNo}");
            Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"acknowledged report {trackingNo} is intact");
        }
        var mine = await resident.GetFromJsonAsync<JsonElement>("/api/complaints/mine");
        Assert.That(mine.GetProperty("items").GetArrayLength(), Is.EqualTo(acknowledged.Count), "exactly the acknowledged reports, none of the refused ones");
    }

    [Test]
    public async Task Readiness_WhileStorageFails_ProbesWithAWriteAtMostEveryFewSeconds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new LianApiFactory(configureServices: services =>
        {
            CountingDataSource.Install(services);
            services.AddSingleton<TimeProvider>(clock);
        });
        var client = app.CreateClient();
        var faults = CountingDataSource.Of(app);
        await client.GetAsync("/health/ready");
        faults.CommitFault = SqliteFull;
        var probes = 0;
        faults.Reset();

        var readyWhileHealthy = await client.GetAsync("/health/ready");
        probes += ProbeCount(faults);
        app.Service<StorageHealth>().Failed(SqliteFull());
        faults.Reset();
        var first = await client.GetAsync("/health/ready");
        var second = await client.GetAsync("/health/ready");
        var probesInTheSameSeconds = ProbeCount(faults);
        faults.CommitFault = null;
        var stillWithinTheInterval = await client.GetAsync("/health/ready");
        clock.Advance(StorageHealth.ProbeInterval);
        var afterTheInterval = await client.GetAsync("/health/ready");

        Assert.Multiple(() =>
        {
            Assert.That(readyWhileHealthy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(probes, Is.Zero, "no writes while storage is fine");
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(probesInTheSameSeconds, Is.EqualTo(1), "a flood of readiness calls is not a flood of writes");
            Assert.That(stillWithinTheInterval.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the last probe's answer stands until the next one");
            Assert.That(afterTheInterval.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    private static IEnumerable<TestCaseData> StorageFailures()
    {
        yield return new TestCaseData(SqliteFull(), true).SetName("IsStorageFailure_SqliteFull_IsOne");
        yield return new TestCaseData(new SqliteException("disk I/O error", 10, 10), true).SetName("IsStorageFailure_SqliteIoErr_IsOne");
        yield return new TestCaseData(new SqliteException("disk I/O error", 10, 778), true).SetName("IsStorageFailure_SqliteIoErrWriteExtendedCode_IsOne");
        yield return new TestCaseData(new SqliteException("disk I/O error", 778, 778), true).SetName("IsStorageFailure_SqliteExtendedCodeAsThePrimary_IsOne");
        yield return new TestCaseData(new InvalidOperationException("batch", SqliteFull()), true).SetName("IsStorageFailure_SqliteFullWrapped_IsOne");
        yield return new TestCaseData(new AggregateException(new TimeoutException(), SqliteFull()), true).SetName("IsStorageFailure_SqliteFullInAnAggregate_IsOne");
        yield return new TestCaseData(SqlServerError(1105), true).SetName("IsStorageFailure_SqlServerFilegroupFull1105_IsOne");
        yield return new TestCaseData(SqlServerError(1101), true).SetName("IsStorageFailure_SqlServerNoPageForFilegroup1101_IsOne");
        yield return new TestCaseData(SqlServerError(9002), true).SetName("IsStorageFailure_SqlServerLogFull9002_IsOne");
        yield return new TestCaseData(new SqliteException("database is locked", 5, 5), false).SetName("IsStorageFailure_SqliteBusy_IsNot");
        yield return new TestCaseData(new SqliteException("UNIQUE constraint failed", 19, 2067), false).SetName("IsStorageFailure_SqliteConstraint_IsNot");
        yield return new TestCaseData(SqlServerError(1205), false).SetName("IsStorageFailure_SqlServerDeadlock_IsNot");
        yield return new TestCaseData(SqlServerError(2627), false).SetName("IsStorageFailure_SqlServerDuplicateKey_IsNot");
        yield return new TestCaseData(new IOException("disk full"), false).SetName("IsStorageFailure_AnIOExceptionNotFromTheDatabase_IsNot");
    }

    [TestCaseSource(nameof(StorageFailures))]
    public void IsStorageFailure_ByProviderErrorCode(Exception error, bool expected)
    {
        Assert.That(StorageHealth.IsStorageFailure(error), Is.EqualTo(expected));
    }

    [Test]
    public async Task Write_FailingWithDiskFull_SurfacesAsStorageUnavailableAndASmallCommitDoesNotClearIt()
    {
        await using var app = new LianApiFactory(configureServices: CountingDataSource.Install);
        app.StartServer();
        var db = app.Service<Database>();
        var storage = app.Service<StorageHealth>();
        var faults = CountingDataSource.Of(app);

        faults.CommitFault = SqliteFull;
        var error = Assert.CatchAsync(() => WriteCounterAsync(db));
        var whileFailing = storage.Current;
        faults.CommitFault = null;
        await WriteCounterAsync(db);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.TypeOf<StorageUnavailableException>());
            Assert.That(error?.InnerException, Is.TypeOf<SqliteException>());
            Assert.That(whileFailing?.Reason, Does.Contain("SQLite Error 13").And.Contain(DiskFull));
            // Issue 23: a one-row write fits on a disk that holds no report; only the report-sized probe clears it.
            Assert.That(storage.Current, Is.Not.Null, "a one-row commit proves nothing about a report");
        });
    }

    [Test]
    public async Task ReadinessProbe_WritesMoreToTheLogThanTheLargestReport()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new LianApiFactory(configureServices: services => services.AddSingleton<TimeProvider>(clock));
        var resident = await app.LoginAsync("resident-of-the-largest-report");
        (await resident.SubmitAsync(Requests.Complaint("第一个问题：楼道灯坏了"))).EnsureSuccessStatusCode();
        var largest = new
        {
            communityCode = "gongyuanmen", categoryCode = "sanitation",
            description = string.Concat(Enumerable.Repeat("楼道灯坏了，晚上看不见台阶。", 80))[..1000],
            address = string.Concat(Enumerable.Repeat("莲湖区北院门街道某小区", 20))[..200],
            contactPhone = "13800138000",
            location = new { latitude = 34.2655, longitude = 108.9426 },
        };

        await CheckpointAsync(app);
        (await resident.SubmitAsync(largest)).EnsureSuccessStatusCode();
        var reportFrames = await CheckpointAsync(app);
        app.Service<StorageHealth>().Failed(SqliteFull());
        var ready = await resident.GetAsync("/health/ready");
        var probeFrames = await CheckpointAsync(app);
        TestContext.Progress.WriteLine($"The largest report wrote {reportFrames} pages of log, the readiness probe {probeFrames}.");

        Assert.Multiple(() =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the probe committed");
            Assert.That(reportFrames, Is.GreaterThan(10), "the report was measured");
            Assert.That(probeFrames, Is.GreaterThan(reportFrames * 3 / 2),
                $"the probe writes {probeFrames} log pages, the largest report {reportFrames}: raise StorageHealth.ProbeBytes");
        });
    }

    /// <summary>Empties the SQLite log; returns how many pages it held (what the writes since the last call wrote).</summary>
    private static async Task<long> CheckpointAsync(LianApiFactory app)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        // A TRUNCATE checkpoint answers 0 pages once it has emptied the log, so the count comes from a passive one first.
        var (_, pages) = await CheckpointAsync(connection, "PASSIVE");
        for (var attempt = 0; attempt < 20 && (await CheckpointAsync(connection, "TRUNCATE")).Busy != 0; attempt++)
        {
            await Task.Delay(50);
        }
        return pages;
    }

    private static async Task<(long Busy, long Pages)> CheckpointAsync(SqliteConnection connection, string mode)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static Task<long> WriteCounterAsync(Database db) =>
        db.WriteAsync((c, tx) => Dapper.SqlMapper.ExecuteScalarAsync<long>(c, db.Dialect.NextCounterValue, new { Name = "test:probe" }, tx), CancellationToken.None);

    private static void Inject(CountingDataSource faults, FaultPoint point, Func<Exception>? fault)
    {
        if (point == FaultPoint.Commit)
        {
            faults.CommitFault = fault;
        }
        else
        {
            faults.WriteFault = fault;
        }
    }

    private static int ProbeCount(CountingDataSource source) =>
        source.Commands.Count(c => c.Contains("INSERT INTO StorageProbes", StringComparison.OrdinalIgnoreCase));

    private static List<string> LinesAbout(LianApiFactory app, string text) =>
        app.Logs.Lines.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();

    private static async Task<string> TrackingNoAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("trackingNo").GetString()!;
    }

    /// <summary>SqlClient has no public constructor for SqlException; this builds one the way the driver does.</summary>
    private static SqlException SqlServerError(int number)
    {
        const BindingFlags NonPublic = BindingFlags.NonPublic | BindingFlags.Instance;
        var errorConstructor = typeof(SqlError).GetConstructor(NonPublic, [typeof(int), typeof(byte), typeof(byte), typeof(string),
            typeof(string), typeof(string), typeof(int), typeof(Exception)])
            ?? throw new InvalidOperationException("SqlClient changed SqlError's constructors; update this helper");
        var error = (SqlError)errorConstructor.Invoke([number, (byte)1, (byte)17, "server", $"error {number}", "", 0, null]);
        var errors = (SqlErrorCollection)Activator.CreateInstance(typeof(SqlErrorCollection), nonPublic: true)!;
        typeof(SqlErrorCollection).GetMethod("Add", NonPublic)!.Invoke(errors, [error]);
        var create = typeof(SqlException).GetMethod("CreateException", BindingFlags.NonPublic | BindingFlags.Static, [typeof(SqlErrorCollection), typeof(string)])
            ?? throw new InvalidOperationException("SqlClient changed SqlException.CreateException; update this helper");
        return (SqlException)create.Invoke(null, [errors, "16.0"])!;
    }
}
