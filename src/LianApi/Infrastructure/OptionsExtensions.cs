using Microsoft.Extensions.Options;

namespace LianApi.Infrastructure;

public static class OptionsExtensions
{
    /// <summary>
    /// Options bound from <paramref name="section"/>, completed and checked at start by one setup class (it fills
    /// development defaults and names the key to set when a value is missing).
    /// </summary>
    public static IServiceCollection AddCheckedOptions<TOptions, TSetup>(this IServiceCollection services, string section)
        where TOptions : class
        where TSetup : class, IPostConfigureOptions<TOptions>, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<TSetup>();
        services.AddSingleton<IPostConfigureOptions<TOptions>>(sp => sp.GetRequiredService<TSetup>());
        services.AddSingleton<IValidateOptions<TOptions>>(sp => sp.GetRequiredService<TSetup>());
        return services;
    }
}
