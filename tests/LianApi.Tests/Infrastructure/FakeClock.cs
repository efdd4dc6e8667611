using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Infrastructure;

/// <summary>An app whose time is <paramref name="clock"/>: the stores' and the deadlines', and the tokens' lifetimes too.</summary>
public static class FakeClock
{
    public static void Use(IServiceCollection services, FakeTimeProvider clock)
    {
        services.AddSingleton<TimeProvider>(clock);
        // Tokens are minted on the fake clock, so they are checked against it (the app checks the system clock, which may be
        // days or weeks away from the fixture's).
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.TokenValidationParameters.LifetimeValidator =
            (notBefore, expires, _, p) => expires > clock.GetUtcNow().UtcDateTime - p.ClockSkew && !(notBefore > clock.GetUtcNow().UtcDateTime + p.ClockSkew));
    }
}
