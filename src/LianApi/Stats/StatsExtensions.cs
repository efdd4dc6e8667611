using LianApi.Complaints;

namespace LianApi.Stats;

public static class StatsExtensions
{
    public static IServiceCollection AddStats(this IServiceCollection services)
    {
        services.AddHybridCache();
        return services
            .AddSingleton<StatsStore>()
            .AddSingleton<IComplaintChangeListener, RollupListener>()
            .AddSingleton<StatsReader>()
            .AddSingleton<PublicStatsReader>()
            .AddHostedService<StatsBackfill>();
    }
}
