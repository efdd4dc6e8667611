using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LianApi.Data;
using LianApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Data;

/// <summary>
/// The same story as <see cref="StorageFailureTests"/> on a real full disk: the database lives on a 4 MB tmpfs
/// that a filler file fills up, so SQLite itself meets ENOSPC. Mounting needs root on Linux; anywhere else the
/// test is ignored and the injected-fault tests carry the guarantee.
/// </summary>
[Category("RealDisk")]
public sealed class RealDiskFullTests
{
    private string? mountPoint;

    [SetUp]
    public void MountSmallDisk()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Ignore("Needs root on Linux to mount a small tmpfs; StorageFailureTests injects SQLITE_FULL instead.");
        }
        var path = Path.Combine(Path.GetTempPath(), "lianapi-small-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        if (Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", path) != 0)
        {
            Directory.Delete(path);
            Assert.Ignore("mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?); StorageFailureTests injects SQLITE_FULL instead.");
        }
        mountPoint = path;
    }

    [TearDown]
    public void UnmountSmallDisk()
    {
        if (mountPoint is null)
        {
            return;
        }
        SqliteConnection.ClearAllPools();
        if (Run("umount", mountPoint) != 0)
        {
            Run("umount", "--lazy", mountPoint);
        }
        try
        {
            Directory.Delete(mountPoint, recursive: true);
        }
        catch (IOException e)
        {
            // A temp folder left behind is no failure of the storage behaviour this test checks (seen once under load).
            TestContext.Progress.WriteLine($"RealDiskFullTests: {mountPoint} not removed: {e.Message}");
        }
    }

    [Test]
    public async Task Submit_OnAFullDisk_Returns503AndReadinessStays503UntilSpaceIsFreed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var database = Path.Combine(mountPoint!, "lian.db");
        await using var app = new LianApiFactory(
            new Dictionary<string, string?> { ["ConnectionStrings:Lian"] = $"Data Source={database}" },
            configureServices: services => services.AddSingleton<TimeProvider>(clock));
        var resident = await app.LoginAsync("resident-on-a-real-full-disk");
        var acknowledged = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            acknowledged.Add(await TrackingNoAsync(await resident.SubmitAsync(Requests.Complaint(Report(i)))));
        }

        // As in production, where the writer checkpoints after a second without writes: the data is in the database
        // file and the log is empty when the disk fills.
        await CheckpointedAsync(clock, database);
        // The disk nearly full, as reports leave it when they fill it themselves: 64 KB free, room for a small write
        // (a lease, a counter) and not for a report (about 160 KB of log for 1000 characters).
        var filler = Path.Combine(mountPoint!, "filler");
        FillUp(filler, leaveFree: 64 * 1024);
        // Free pages in the database and room left in the log could take a report more; go on until one is refused.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 200 && refused is null; i++)
        {
            var response = await resident.SubmitAsync(Requests.Complaint(Report(100 + i)));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                acknowledged.Add(await TrackingNoAsync(response));
                continue;
            }
            refused = response;
        }
        Assert.That(refused, Is.Not.Null, "a full disk refused no report at all");
        var reason = app.Service<StorageHealth>().Current?.Reason;
        // Issue 23: right after a refused report readiness said 200 (a one-row probe still fit) and the next report was
        // refused again. Each round lets the probe run again (its interval passes) before readiness is read.
        var rounds = new List<(HttpStatusCode Ready, HttpStatusCode Submit)>
        {
            ((await resident.GetAsync("/health/ready")).StatusCode, refused!.StatusCode),
        };
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(StorageHealth.ProbeInterval);
            var ready = await resident.GetAsync("/health/ready");
            var submitted = await resident.SubmitAsync(Requests.Complaint(Report(300 + i)));
            if (submitted.StatusCode == HttpStatusCode.Created)
            {
                acknowledged.Add(await TrackingNoAsync(submitted));
            }
            rounds.Add((ready.StatusCode, submitted.StatusCode));
        }

        File.Delete(filler);
        clock.Advance(StorageHealth.ProbeInterval);
        var readyAfter = await resident.GetAsync("/health/ready");
        var afterwards = await resident.SubmitAsync(Requests.Complaint("空间释放以后的新问题，楼道灯坏了"));

        Assert.Multiple(async () =>
        {
            var problem = await ProblemAssert.IsProblem(refused!, HttpStatusCode.ServiceUnavailable);
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("storage_unavailable"));
            Assert.That(refused!.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(30)));
            // Usually SQLITE_FULL at COMMIT; growing the -shm file can meet the full disk first (SQLITE_IOERR_SHMSIZE, 4874).
            Assert.That(reason, Does.Match("^SQLite Error (13|10): "), "SQLite's own error, not an injected one");
            Assert.That(rounds[0].Ready, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "readiness right after the refused report");
            Assert.That(rounds.Where(r => r.Submit != HttpStatusCode.Created).Select(r => r.Ready), Has.All.EqualTo(HttpStatusCode.ServiceUnavailable),
                "readiness in every round whose report was refused: " + string.Join(", ", rounds));
            Assert.That(rounds.Skip(1).Select(r => r.Submit), Has.Some.EqualTo(HttpStatusCode.ServiceUnavailable), "the disk stayed full: " + string.Join(", ", rounds));
            Assert.That(rounds.Select(r => r.Submit), Has.None.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(readyAfter.StatusCode, Is.EqualTo(HttpStatusCode.OK), "recovered by the readiness probe alone");
            Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.Created), await afterwards.Content.ReadAsStringAsync());
        });
        acknowledged.Add(await TrackingNoAsync(afterwards));
        foreach (var trackingNo in acknowledged)
        {
            Assert.That((await resident.GetAsync($"/api/complaints/{trackingNo}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), trackingNo);
        }
        await using var check = new SqliteConnection($"Data Source={database};Pooling=False");
        await check.OpenAsync();
        await using var integrity = check.CreateCommand();
        integrity.CommandText = "PRAGMA integrity_check";
        Assert.That(await integrity.ExecuteScalarAsync(), Is.EqualTo("ok"));
    }

    /// <summary>A report of the largest size a resident can send (1000 characters), numbered.</summary>
    private static string Report(int number) =>
        string.Concat(Enumerable.Repeat("楼道灯坏了，晚上看不见台阶。", 80))[..990] + number.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task CheckpointedAsync(FakeTimeProvider clock, string database)
    {
        clock.Advance(TimeSpan.FromSeconds(2));
        for (var waited = 0; waited < 100 && new FileInfo(database + "-wal") is { Exists: true, Length: > 0 }; waited++)
        {
            await Task.Delay(50);
        }
    }

    private static void FillUp(string path, long leaveFree)
    {
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            var block = new byte[4096];
            try
            {
                while (true)
                {
                    file.Write(block);
                }
            }
            catch (IOException)
            {
                // No space left on device: now give some back.
            }
        }
        using var shrink = new FileStream(path, FileMode.Open, FileAccess.Write);
        shrink.SetLength(Math.Max(0, shrink.Length - leaveFree));
    }

    private static async Task<string> TrackingNoAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("trackingNo").GetString()!;
    }

    private static int Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
