using LianApi.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LianApi.Tests.Auth;

/// <summary>
/// Tokens are validated once per instance and then remembered: what is remembered must never accept what a full
/// validation would refuse — a token past its lifetime, or the same token with another signature.
/// </summary>
public sealed class CachingTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(Convert.FromBase64String(Infrastructure.LianApiFactory.TestJwtKey));

    private static TokenValidationParameters Parameters => new()
    {
        ValidIssuer = "lianapi", ValidAudience = "lianapi-miniprogram", IssuerSigningKey = Key, ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true, ClockSkew = TimeSpan.Zero,
    };

    private static string Token(DateTime expires) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "lianapi", Audience = "lianapi-miniprogram", IssuedAt = DateTime.UtcNow.AddMinutes(-1), NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = expires, Claims = new Dictionary<string, object> { ["sub"] = "7", ["role"] = "resident" },
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });

    [Test]
    public async Task ARememberedToken_IsRefusedOnceItsLifetimeHasPassed()
    {
        var handler = new CachingTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false });
        var token = Token(DateTime.UtcNow.AddMilliseconds(1500));

        var first = await handler.ValidateTokenAsync(token, Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);
        await Task.Delay(TimeSpan.FromMilliseconds(1600));
        var afterExpiry = await handler.ValidateTokenAsync(token, Parameters);

        Assert.Multiple(() =>
        {
            Assert.That(first.IsValid, Is.True);
            Assert.That(second.IsValid, Is.True);
            Assert.That(second.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo("7"));
            Assert.That(second.ClaimsIdentity, Is.Not.SameAs(first.ClaimsIdentity), "each request gets its own identity");
            Assert.That(afterExpiry.IsValid, Is.False);
        });
    }

    [Test]
    public async Task ARememberedToken_WithAnotherSignature_IsValidatedInFull_AndRefused()
    {
        var handler = new CachingTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false });
        var token = Token(DateTime.UtcNow.AddHours(1));
        var forged = token[..token.LastIndexOf('.')] + "." + Base64UrlEncoder.Encode(new byte[32]);

        var genuine = await handler.ValidateTokenAsync(token, Parameters);
        var refused = await handler.ValidateTokenAsync(forged, Parameters);

        Assert.Multiple(() =>
        {
            Assert.That(genuine.IsValid, Is.True);
            Assert.That(refused.IsValid, Is.False);
        });
    }
}
