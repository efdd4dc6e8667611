using System.Globalization;
using System.Net;
using LianApi.Data;
using LianApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Data;

/// <summary>
/// The writer checkpoints SQLite's write-ahead log into the database file and truncates it: when the log passes a
/// size, and when writes pause. The app runs on a fake clock that only the pause test moves, so every checkpoint
/// here has exactly one possible trigger; a report's response comes after every checkpoint the writer started
/// before it, since the writer does one thing at a time. Each test also holds a connection of its own open:
/// SQLite checkpoints and deletes the log when the last connection closes, and other fixtures' ClearAllPools
/// closes this app's idle pooled connections, which would be a checkpoint nobody here triggered.
/// </summary>
public sealed class WalCheckpointTests
{
    private const long NoSizeTrigger = 1024L * 1024 * 1024;

    [Test]
    public async Task Submit_ABurstOfReports_CheckpointsWheneverTheWalPassesTheConfiguredSize()
    {
        const long checkpointBytes = 64 * 1024;
        await using var app = App(checkpointBytes, out _);
        var resident = await app.LoginAsync("resident-in-a-burst");
        await using var keepOpen = await KeepDatabaseOpenAsync(app);

        var peak = await BurstAsync(app, resident, reports: 100);
        var walAfter = WalBytes(app);

        Assert.Multiple(() =>
        {
            // A report writes about 50 KB of pages: the log may pass the size by one report before the writer cuts it.
            Assert.That(peak, Is.LessThan(4 * checkpointBytes), "the log never got far past the checkpoint size");
            Assert.That(walAfter, Is.LessThan(4 * checkpointBytes));
        });
    }

    [Test]
    public async Task Submit_ABurstOfReportsWithoutTheSizeTrigger_GrowsTheWalToSqlitesOwnLimit()
    {
        // The control for the test above: only SQLite's passive autocheckpoint (1000 pages) and journal_size_limit.
        await using var app = App(NoSizeTrigger, out _);
        var resident = await app.LoginAsync("resident-in-a-burst");
        await using var keepOpen = await KeepDatabaseOpenAsync(app);

        var peak = await BurstAsync(app, resident, reports: 100);

        Assert.That(peak, Is.GreaterThan(1024 * 1024));
    }

    [Test]
    public async Task Submit_WhileAReaderHoldsTheWal_GoesOnAndTruncatesOnceTheReaderIsDone()
    {
        const long checkpointBytes = 64 * 1024;
        await using var app = App(checkpointBytes, out _);
        var resident = await app.LoginAsync("resident-next-to-a-long-read");
        await using var reader = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await reader.OpenAsync();
        // Deferred: the SELECT below takes a read snapshot (BeginTransaction's default would take the write lock).
        await using var snapshot = reader.BeginTransaction(deferred: true);
        await using (var read = reader.CreateCommand())
        {
            read.CommandText = "SELECT COUNT(*) FROM Complaints";
            await read.ExecuteScalarAsync();
        }

        var peakWhileReading = await BurstAsync(app, resident, reports: 12);
        snapshot.Rollback();
        var peakAfter = await BurstAsync(app, resident, reports: 12);
        var walAfter = WalBytes(app);

        Assert.Multiple(() =>
        {
            Assert.That(peakWhileReading, Is.GreaterThan(4 * checkpointBytes), "a reader in the log keeps it from being truncated");
            Assert.That(walAfter, Is.LessThan(4 * checkpointBytes), "truncated again once the reader is done");
            Assert.That(peakAfter, Is.LessThan(peakWhileReading + 4 * checkpointBytes), "and it did not go on growing");
        });
    }

    [Test]
    public async Task Submit_ReportsThenAPause_CheckpointsIntoTheDatabaseFileAndTruncatesTheWal()
    {
        await using var app = App(NoSizeTrigger, out var clock);
        var resident = await app.LoginAsync("resident-then-quiet");
        await using var keepOpen = await KeepDatabaseOpenAsync(app);
        var trackingNos = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            trackingNos.Add(await SubmitAsync(resident, i));
        }
        var walBeforePause = WalBytes(app);

        clock.Advance(app.Service<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.WalIdleCheckpointDelay);
        trackingNos.Add(await SubmitAsync(resident, 30));
        var walAfterPause = WalBytes(app);
        // The database file alone, without its log: what the checkpoint moved into it. (Its size is no measure: SQLite's
        // passive autocheckpoint may already have grown it during the burst, and the rest may fill pages it has.)
        var reportsInTheFile = await CountReportsInTheFileAloneAsync(app);

        Assert.Multiple(() =>
        {
            Assert.That(walBeforePause, Is.GreaterThan(1024 * 1024), "30 reports in the log, none checkpointed yet");
            Assert.That(walAfterPause, Is.LessThan(walBeforePause / 10), "truncated at the pause; only the report after it is in the log");
            Assert.That(reportsInTheFile, Is.GreaterThanOrEqualTo(30), "the database file absorbed the log");
        });
        foreach (var trackingNo in trackingNos)
        {
            Assert.That((await resident.GetAsync($"/api/complaints/{trackingNo}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), trackingNo);
        }
    }

    private static LianApiFactory App(long walCheckpointBytes, out FakeTimeProvider clock)
    {
        var fake = clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return new LianApiFactory(
            new Dictionary<string, string?> { ["Database:WalCheckpointBytes"] = walCheckpointBytes.ToString(CultureInfo.InvariantCulture) },
            configureServices: services => services.AddSingleton<TimeProvider>(fake));
    }

    private static async Task<SqliteConnection> KeepDatabaseOpenAsync(LianApiFactory app)
    {
        var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        // A statement opens the log and its index; the connection then keeps them open, holding no lock.
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM SchemaVersions";
        await command.ExecuteScalarAsync();
        return connection;
    }

    private static async Task<long> BurstAsync(LianApiFactory app, HttpClient resident, int reports)
    {
        var peak = 0L;
        for (var i = 0; i < reports; i++)
        {
            await SubmitAsync(resident, i);
            peak = Math.Max(peak, WalBytes(app));
        }
        return peak;
    }

    private static async Task<string> SubmitAsync(HttpClient resident, int i)
    {
        var response = await resident.SubmitAsync(Requests.Complaint($"第{i}个问题：楼道灯坏了，晚上看不见台阶"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("trackingNo").GetString()!;
    }

    private static async Task<long> CountReportsInTheFileAloneAsync(LianApiFactory app)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"lianapi-wal-{Guid.NewGuid():N}.db");
        try
        {
            File.Copy(app.DatabasePath, copy);
            await using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM Complaints";
            return (long)(await command.ExecuteScalarAsync())!;
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static long WalBytes(LianApiFactory app)
    {
        var wal = new FileInfo(app.DatabasePath + "-wal");
        return wal.Exists ? wal.Length : 0;
    }
}
