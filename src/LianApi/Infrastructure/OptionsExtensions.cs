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

    /// <summary>
    /// Runs every check registered with ValidateOnStart now, before anything starts: the settings that are missing or
    /// invalid as one line for the operator (each message names its key), or null when all are good.
    /// </summary>
    public static string? ConfigurationError(this IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            return Describe([.. e.InnerExceptions.Cast<OptionsValidationException>()]);
        }
        catch (OptionsValidationException e)
        {
            return Describe(e);
        }
    }

    /// <summary>One line: a stack trace says nothing to an operator whose only mistake is a setting.</summary>
    public static string Describe(params OptionsValidationException[] errors) =>
        "Configuration error: " + string.Join(" ", errors.SelectMany(e => e.Failures).Select(f => f.ReplaceLineEndings(" ").Trim()));
}
