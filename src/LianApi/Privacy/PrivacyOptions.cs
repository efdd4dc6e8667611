using LianApi.Infrastructure;
using Microsoft.Extensions.Options;

namespace LianApi.Privacy;

/// <summary>Key for phone numbers at rest. It lives outside the database, so a stolen database file reveals no numbers.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Base64 of 32 random bytes (AES-256-GCM). Development generates one into the data folder.</summary>
    public string PhoneKey { get; set; } = "";
}

internal sealed class PrivacyOptionsSetup(IHostEnvironment environment, IConfiguration configuration)
    : IPostConfigureOptions<PrivacyOptions>, IValidateOptions<PrivacyOptions>
{
    public void PostConfigure(string? name, PrivacyOptions options)
    {
        if (options.PhoneKey.Length == 0 && environment.IsDevelopment())
        {
            options.PhoneKey = DevelopmentSecrets.LoadOrCreate(configuration, "phone-protection.key");
        }
    }

    public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
    {
        try
        {
            if (Convert.FromBase64String(options.PhoneKey).Length == 32)
            {
                return ValidateOptionsResult.Success;
            }
        }
        catch (FormatException)
        {
        }
        return ValidateOptionsResult.Fail("Privacy__PhoneKey must be base64 of exactly 32 random bytes (`openssl rand -base64 32`), from the secret store.");
    }
}
