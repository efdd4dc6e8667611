using LianApi.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.Time.Testing;
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
        RequireExpirationTime = true, ClockSkew = TimeSpan.FromSeconds(30),
    };

    private static string Token(TimeSpan lifetime) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "lianapi", Audience = "lianapi-miniprogram", IssuedAt = DateTime.UtcNow.AddMinutes(-1), NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow + lifetime, Claims = new Dictionary<string, object> { ["sub"] = "7", ["role"] = "resident" },
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });

    /// <summary>The real validation, counting the tokens it was asked to validate (the ones the cache did not answer).</summary>
    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler inner = new() { MapInboundClaims = false };

        public int Validated { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Validated++;
            return inner.ValidateTokenAsync(token, validationParameters);
        }
    }

    [Test]
    public async Task ARememberedToken_IsAnsweredFromMemory_OnlyWithinItsLifetimeAndTheSkew()
    {
        // The cache's clock is moved; the token is valid in real time throughout, so only the cache's own check can refuse
        // to answer it, and then the token is validated in full again.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var validation = new CountingHandler();
        var handler = new CachingTokenHandler(validation, clock);
        var token = Token(TimeSpan.FromHours(2));

        var first = await handler.ValidateTokenAsync(token, Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);
        var afterHits = validation.Validated;
        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(20));
        await handler.ValidateTokenAsync(token, Parameters);
        var withinSkew = validation.Validated;
        clock.Advance(TimeSpan.FromSeconds(20));
        await handler.ValidateTokenAsync(token, Parameters);

        Assert.Multiple(() =>
        {
            Assert.That(first.IsValid && second.IsValid, Is.True);
            Assert.That(second.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo("7"));
            Assert.That(second.ClaimsIdentity, Is.Not.SameAs(first.ClaimsIdentity), "each request gets its own identity");
            Assert.That(afterHits, Is.EqualTo(1), "the second use is answered from memory");
            Assert.That(withinSkew, Is.EqualTo(1), "within the clock skew after its expiry, still from memory");
            Assert.That(validation.Validated, Is.EqualTo(2), "past its lifetime and the skew, validated in full again");
        });
    }

    [Test]
    public async Task ARememberedToken_WithAnotherSignature_IsValidatedInFull_AndRefused()
    {
        var handler = new CachingTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false });
        var token = Token(TimeSpan.FromHours(1));
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
