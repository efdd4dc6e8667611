using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LianApi.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// Our only scheme is a bearer token in the Authorization header: a request without one is anonymous, and the scans,
    /// probes and public reads that make up most requests skip the handler entirely instead of running it to learn that.
    /// </summary>
    public static IApplicationBuilder UseLianAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Headers.Authorization.Count > 0, branch => branch.UseAuthentication());

    public static IServiceCollection AddLianAuth(this IServiceCollection services)
    {
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<JwtOptions>, DevelopmentSigningKey>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<UserStore>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                var o = jwt.Value;
                bearer.MapInboundClaims = false;
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new CachingTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false }));
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = o.Issuer,
                    ValidAudience = o.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(o.SigningKeyBytes()),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    // The library default of 5 minutes would quietly stretch every token.
                    ClockSkew = TimeSpan.FromSeconds(30),
                    RoleClaimType = "role",
                    NameClaimType = "sub",
                };
            });

        // Deny by default: an endpoint is anonymous only when it says so.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }
}
