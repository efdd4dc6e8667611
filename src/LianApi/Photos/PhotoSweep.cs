using LianApi.Data;
using LianApi.Infrastructure;

namespace LianApi.Photos;

/// <summary>Deletes photos nobody attached within 24 hours of their upload, every 10 minutes, on the instance holding the lease.</summary>
internal sealed class PhotoSweepService(PhotoStore photos, LeaseStore leases, TimeProvider time, ILogger<PhotoSweepService> logger)
    : LeasedJob(leases, time, logger, LeaseStore.PhotoSweep, TimeSpan.FromMinutes(10), runAtStart: true)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        var removed = await photos.DeleteUnattachedAsync(Time.GetUtcNow().UtcDateTime, ct);
        if (removed > 0)
        {
            logger.LogInformation("Deleted {Count} photos never attached to a report", removed);
        }
    }
}

public static class PhotosExtensions
{
    /// <summary>Photo uploads, their cleaning, storage and signed links, and the sweep of unattached photos.</summary>
    public static IServiceCollection AddPhotos(this IServiceCollection services)
    {
        services.AddCheckedOptions<PhotoOptions, PhotoOptionsSetup>(PhotoOptions.Section);
        return services
            .AddSingleton<PhotoStore>()
            .AddSingleton<PhotoCleaner>()
            .AddSingleton<PhotoLinks>()
            .AddSingleton<PhotoGate>()
            .AddHostedService<PhotoSweepService>();
    }
}
