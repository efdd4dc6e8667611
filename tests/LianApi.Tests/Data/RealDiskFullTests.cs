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
/// The same story as <see cref="StorageFailureTests"/> on a real full disk: the database lives on a small tmpfs
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
        if (Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", path) != 0)
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
    public async Task Submit_OnAFullDisk_Returns503ThenRecoversWhenSpaceIsFreed()
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
            acknowledged.Add(await TrackingNoAsync(await resident.SubmitAsync(Requests.Complaint($"第{i}个问题：楼道灯坏了"))));
        }

        var filler = Path.Combine(mountPoint!, "filler");
        FillUp(filler);
        // A failed commit leaves the log file longer than its last frame, and a checkpoint can free a little, so small
        // writes (the readiness probe, a shorter report) may still fit after a refusal: go on until readiness agrees.
        var whileFull = new List<HttpResponseMessage>();
        HttpResponseMessage? readyWhileFull = null;
        string? reason = null;
        for (var i = 0; i < 200 && readyWhileFull?.StatusCode != HttpStatusCode.ServiceUnavailable; i++)
        {
            var response = await resident.SubmitAsync(Requests.Complaint($"磁盘满时的第{i}个问题，楼道灯坏了"));
            whileFull.Add(response);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                acknowledged.Add(await TrackingNoAsync(response));
                continue;
            }
            // Read at once: any small write that still fits (a lease renewal of a background job on this clock, the
            // probe) clears the state, truthfully, so a later read may find it gone.
            reason = app.Service<StorageHealth>().Current?.Reason ?? reason;
            // Right after the refusal, before the clock moves: no probe and no background write (both run on this
            // clock) can have cleared the state yet. A WAL reset by a checkpoint can take a small write even on a
            // full disk, so a probe a moment later may truthfully succeed; that is no failure of the readiness check.
            readyWhileFull = await resident.GetAsync("/health/ready");
            if (readyWhileFull.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                clock.Advance(StorageHealth.ProbeInterval);
                readyWhileFull = await resident.GetAsync("/health/ready");
            }
            reason = app.Service<StorageHealth>().Current?.Reason ?? reason;
        }
        var refused = whileFull.LastOrDefault(r => r.StatusCode != HttpStatusCode.Created);
        Assert.That(refused, Is.Not.Null, "a full disk refused no report at all");

        File.Delete(filler);
        clock.Advance(StorageHealth.ProbeInterval);
        var readyAfter = await resident.GetAsync("/health/ready");
        acknowledged.Add(await TrackingNoAsync(await resident.SubmitAsync(Requests.Complaint("空间释放以后的新问题"))));

        Assert.Multiple(async () =>
        {
            Assert.That(whileFull.Select(r => r.StatusCode), Has.None.EqualTo(HttpStatusCode.InternalServerError));
            var problem = await ProblemAssert.IsProblem(refused!, HttpStatusCode.ServiceUnavailable);
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("storage_unavailable"));
            Assert.That(refused!.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(30)));
            // Usually SQLITE_FULL at COMMIT; growing the -shm file can meet the full disk first (SQLITE_IOERR_SHMSIZE, 4874).
            Assert.That(reason, Does.Match("^SQLite Error (13|10): "), "SQLite's own error, not an injected one");
            Assert.That(readyWhileFull?.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(readyAfter.StatusCode, Is.EqualTo(HttpStatusCode.OK), "recovered by the readiness probe alone");
        });
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

    private static void FillUp(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
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
            // No space left on device: exactly what we wanted.
        }
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
