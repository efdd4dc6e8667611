using LianApi.Photos;

namespace LianApi.PublicWall;

public static class PublicWallExtensions
{
    /// <summary>The public read side: the wall and Open311 read the same public cases.</summary>
    public static IServiceCollection AddPublicWall(this IServiceCollection services) => services.AddSingleton<PublicCaseStore>()
        .AddSingleton<IPublicPhotos>(sp => sp.GetRequiredService<PublicCaseStore>());
}
