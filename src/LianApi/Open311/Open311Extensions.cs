namespace LianApi.Open311;

public static class Open311Extensions
{
    public static IServiceCollection AddOpen311(this IServiceCollection services) => services
        .AddSingleton<Open311KeyStore>()
        .AddSingleton<Open311PostLimiter>();
}
