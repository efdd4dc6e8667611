using LianApi.Data;

namespace LianApi.Photos;

/// <summary>
/// The photo sweep: flags photos still pending an hour after their upload for a person to look at (never passes them
/// silently), deletes photos never attached within 24 hours, and forgets refused uploads once they no longer count.
/// </summary>
public sealed class PhotoSweep(PhotoStore photos, IPhotoCaseFlags cases, TimeProvider time, ILogger<PhotoSweep> logger)
{
    private const int Batch = 200;

    public sealed record Result(int FlaggedUnchecked, int Deleted);

    public async Task<Result> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var flagged = 0;
        var seen = new HashSet<string>();
        while (true)
        {
            // A photo flagged by another instance meanwhile is no longer listed; one that failed here is not tried twice in a run.
            var overdue = await photos.ListOverdueChecksAsync(now, Batch, ct);
            var fresh = overdue.Where(seen.Add).ToList();
            foreach (var id in fresh)
            {
                if (await photos.MarkUncheckedAsync(id, "上传后 1 小时内未收到微信的检测结果", now, cases, ct))
                {
                    flagged++;
                }
            }
            if (fresh.Count == 0 || overdue.Count < Batch)
            {
                break;
            }
        }
        var removed = await photos.DeleteUnattachedAsync(now, ct);
        await photos.DeleteExpiredRefusalsAsync(now, ct);
        if (flagged > 0)
        {
            logger.LogWarning("{Count} photos got no verdict from WeChat's image check within an hour; flagged for a person to look at", flagged);
        }
        if (removed > 0)
        {
            logger.LogInformation("Deleted {Count} photos never attached to a report", removed);
        }
        return new Result(flagged, removed);
    }
}

/// <summary>
/// The <see cref="PhotoSweep"/> every 10 minutes on the instance holding the lease: photos still pending after an hour
/// are flagged, photos nobody attached within 24 hours are deleted.
/// </summary>
internal sealed class PhotoSweepService(PhotoSweep sweep, LeaseStore leases, TimeProvider time, ILogger<PhotoSweepService> logger)
    : LeasedJob(leases, time, logger, LeaseStore.PhotoSweep, TimeSpan.FromMinutes(10), runAtStart: true)
{
    protected override Task RunAsync(CancellationToken ct) => sweep.RunOnceAsync(ct);
}
