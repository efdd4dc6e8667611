namespace LianApi.Posters;

public static class PostersExtensions
{
    public static IServiceCollection AddPosters(this IServiceCollection services)
    {
        services.AddOptions<PosterOptions>().BindConfiguration(PosterOptions.Section);
        return services.AddSingleton<PosterRenderer>().AddSingleton<PosterService>();
    }
}
