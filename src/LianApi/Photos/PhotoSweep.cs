using LianApi.Data;
using LianApi.Infrastructure;
using LianApi.Wechat;

namespace LianApi.Photos;

/// <summary>
/// The <see cref="PhotoSweep"/> every 10 minutes on the instance holding the lease: photos still pending after an hour
/// are flagged, photos nobody attached within 24 hours are deleted.
/// </summary>
internal sealed class PhotoSweepService(PhotoSweep sweep, LeaseStore leases, TimeProvider time, ILogger<PhotoSweepService> logger)
    : LeasedJob(leases, time, logger, LeaseStore.PhotoSweep, TimeSpan.FromMinutes(10), runAtStart: true)
{
    protected override Task RunAsync(CancellationToken ct) => sweep.RunOnceAsync(ct);
}

public static class PhotosExtensions
{
    /// <summary>
    /// Photo uploads, their cleaning, storage and signed links, their submission to WeChat's image check and its results,
    /// and the sweep (unchecked photos flagged, unattached ones deleted).
    /// </summary>
    public static IServiceCollection AddPhotos(this IServiceCollection services)
    {
        services.AddCheckedOptions<PhotoOptions, PhotoOptionsSetup>(PhotoOptions.Section);
        return services
            .AddSingleton<PhotoStore>()
            .AddSingleton<PhotoCleaner>()
            .AddSingleton<PhotoLinks>()
            .AddSingleton<PhotoGate>()
            .AddSingleton<PhotoSweep>()
            .AddSingleton<IWechatJobHandler, PhotoCheckJob>()
            .AddSingleton<IMediaCheckResultHandler, PhotoCheckResults>()
            .AddHostedService<PhotoSweepService>();
    }
}
