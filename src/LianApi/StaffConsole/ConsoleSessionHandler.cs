using System.Security.Claims;
using System.Text.Encodings.Web;
using LianApi.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LianApi.StaffConsole;

/// <summary>
/// The console's scheme: the session cookie, checked against the database on every request, and then the staff record,
/// through the same active-staff read the API's policy uses (<see cref="StaffAccess"/>): a deactivated or unbound account
/// loses its session at its next request. The staff member reaches pages and handlers as the API's do, as a feature.
/// </summary>
internal sealed class ConsoleSessionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ConsoleSessionStore sessions, StaffStore staffStore, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(ConsoleCookies.Session, out var token) || token.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        var now = time.GetUtcNow().UtcDateTime;
        var ct = Context.RequestAborted;
        if (await sessions.FindLiveAsync(token, now, ct) is not { } session)
        {
            return AuthenticateResult.Fail("The console session ended.");
        }
        if (await staffStore.FindActiveByUserAsync(session.UserId, ct) is not { } staff || staff.Id != session.StaffId)
        {
            await sessions.EndAsync(session.Id, ct);
            return AuthenticateResult.Fail("The staff account is no longer active.");
        }
        if (now - session.LastSeenAt >= ConsoleSessionStore.TouchInterval)
        {
            await sessions.TouchAsync(session.Id, now, ct);
        }
        Context.Features.Set(staff);
        var identity = new ClaimsIdentity([
            new Claim("sub", session.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim("role", staff.Role),
            new Claim("name", staff.Name),
        ], ConsoleAuth.Scheme, "name", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ConsoleAuth.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The wallboard's script asks for data: it is told, and reloads into the login page itself.
        if (Request.Path.StartsWithSegments(ConsoleAuth.DataPath))
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
        // A cookie that opens nothing any more is dropped, so the login page does not find it again.
        if (Request.Cookies.ContainsKey(ConsoleCookies.Session))
        {
            Response.Cookies.Delete(ConsoleCookies.Session, ConsoleCookies.SessionOptions());
        }
        Response.Redirect(ConsoleAuth.LoginPath + QueryString.Create("returnUrl", ConsoleAuth.LocalReturnUrl(Request.Path + Request.QueryString)));
        return Task.CompletedTask;
    }
}
