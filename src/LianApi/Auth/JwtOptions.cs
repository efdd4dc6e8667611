using LianApi.Infrastructure;
using Microsoft.Extensions.Options;

namespace LianApi.Auth;

/// <summary>Our own bearer tokens (HS256). The signing key comes from a secret store in production.</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    /// <summary>Base64 of at least 32 random bytes. Development generates one into the data folder.</summary>
    public string SigningKey { get; set; } = "";

    public string Issuer { get; set; } = "lianapi";

    public string Audience { get; set; } = "lianapi-miniprogram";

    /// <summary>Residents re-login silently with wx.login, so short tokens cost them nothing.</summary>
    public TimeSpan ResidentTokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Staff tokens are privileged and short; staff log in again (silently, via wx.login) when they expire.</summary>
    public TimeSpan StaffTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey);
}

internal sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        if (DevelopmentSecrets.SigningKeyProblem(options.SigningKey, "Jwt__SigningKey") is { } problem)
        {
            return ValidateOptionsResult.Fail(problem);
        }
        if (options.ResidentTokenLifetime <= TimeSpan.Zero || options.ResidentTokenLifetime > TimeSpan.FromHours(24))
        {
            return ValidateOptionsResult.Fail("Jwt__ResidentTokenLifetime must be between 0 and 24 hours.");
        }
        return ValidateOptionsResult.Success;
    }
}

/// <summary>In Development a missing key is generated once and kept beside the database, so tokens survive restarts.</summary>
internal sealed class DevelopmentSigningKey(IHostEnvironment environment, IConfiguration configuration) : IPostConfigureOptions<JwtOptions>
{
    public void PostConfigure(string? name, JwtOptions options)
    {
        if (options.SigningKey.Length == 0 && environment.IsDevelopment())
        {
            options.SigningKey = DevelopmentSecrets.LoadOrCreate(configuration, "jwt-signing.key");
        }
    }
}
