using LianApi.Data;

namespace LianApi.Communities;

public static class CommunitiesExtensions
{
    public static IServiceCollection AddCommunities(this IServiceCollection services) => services
        .AddSingleton<OrgDirectory>()
        .AddSingleton<CommunityStore>()
        .AddSingleton<OrgChangeStore>()
        .AddSingleton<IDevelopmentSeed, DevelopmentSeed>();
}
