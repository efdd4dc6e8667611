using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LianApi.Auth;

public static class Roles
{
    public const string Resident = "resident";
}

/// <summary>Who among the users is active staff, and in which role; the Staff feature answers it.</summary>
public interface IStaffRoles
{
    Task<LoginStaff?> FindActiveAsync(long userId, CancellationToken ct);
}

public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt);

public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    /// <summary>The login answer: a resident token, or a short-lived staff token when the user is active staff.</summary>
    public LoginResponse IssueLogin(long userId, LoginStaff? staff)
    {
        string[] roles = staff is null ? [Roles.Resident] : [Roles.Resident, staff.Role];
        var token = Issue(userId, roles, staff is null ? options.Value.ResidentTokenLifetime : options.Value.StaffTokenLifetime);
        return new LoginResponse(token.AccessToken, token.ExpiresAt, new LoginUser(userId, roles, staff));
    }

    public IssuedToken Issue(long userId, IReadOnlyCollection<string> roles, TimeSpan lifetime)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["role"] = roles.ToArray(),
        };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(o.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires);
    }
}

public static class CurrentUser
{
    /// <summary>Our user id from the validated token; endpoints behind the fallback policy always have one.</summary>
    public static long UserId(this ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub)
                   ?? throw new InvalidOperationException("The endpoint requires an authenticated user."),
            System.Globalization.CultureInfo.InvariantCulture);
}
