using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LianApi.Auth;

/// <summary>
/// Our bearer tokens, validated once per instance: a resident's mini-program sends the same token with every call, and
/// checking its signature and parsing its JSON each time was the largest single cost of reading one's own report. The
/// cache is keyed by the whole token, signature included, so a changed token is a miss and is validated in full; a hit
/// is answered only while the token is still within its lifetime (and the clock skew the validation allows).
/// </summary>
/// <param name="inner">The handler that validates a token it has not seen.</param>
/// <param name="time">The system clock, which the inner validation reads too; a test gives its own.</param>
public sealed class CachingTokenHandler(TokenHandler inner, TimeProvider? time = null) : TokenHandler
{
    private readonly TimeProvider time = time ?? TimeProvider.System;

    /// <summary>
    /// How many tokens one instance remembers: a remembered token holds its parsed form and claims, so the cache is kept
    /// to the busiest callers' worth of memory; past this many, a token is validated in full as before.
    /// </summary>
    public const int CachedTokens = 256;

    private readonly MemoryCache validated = new(new MemoryCacheOptions { SizeLimit = CachedTokens });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (validated.TryGetValue(token, out TokenValidationResult? known) && known!.SecurityToken.ValidTo + validationParameters.ClockSkew > now
            && known.SecurityToken.ValidFrom - validationParameters.ClockSkew <= now)
        {
            return Fresh(known);
        }
        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            validated.Set(token, result, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = result.SecurityToken.ValidTo + validationParameters.ClockSkew });
        }
        return result;
    }

    // Each request gets its own identity objects: the pipeline may add claims to the principal it is given.
    private static TokenValidationResult Fresh(TokenValidationResult known) => new()
    {
        IsValid = true,
        SecurityToken = known.SecurityToken,
        ClaimsIdentity = new ClaimsIdentity(known.ClaimsIdentity),
        Issuer = known.Issuer,
        TokenType = known.TokenType,
    };

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override int MaximumTokenSizeInBytes
    {
        get => inner.MaximumTokenSizeInBytes;
        set => inner.MaximumTokenSizeInBytes = value;
    }
}
