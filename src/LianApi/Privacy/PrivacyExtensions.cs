using LianApi.Infrastructure;

namespace LianApi.Privacy;

public static class PrivacyExtensions
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services)
    {
        services.AddCheckedOptions<PrivacyOptions, PrivacyOptionsSetup>(PrivacyOptions.Section);
        return services.AddSingleton<PhoneProtector>();
    }
}
