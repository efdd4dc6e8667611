using LianApi.Infrastructure;
using LianApi.Wechat;

namespace LianApi.Photos;

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
            .AddHttpContextAccessor()
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
