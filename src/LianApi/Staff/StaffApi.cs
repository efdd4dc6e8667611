using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using LianApi.Auth;
using LianApi.Data;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Staff;

public sealed record BindStaffRequest(
    [property: Description("The one-time code ops printed with `staff add`, e.g. K7M2Q-9XDHA")]
    [property: Required(ErrorMessage = ValidationMessages.BindingCode), CharacterLength(32, ErrorMessage = ValidationMessages.BindingCode), PlainText] string? BindingCode)
    : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BindingCode is { } code && StaffStore.Normalize(code).Length != 10)
        {
            yield return new ValidationResult(ValidationMessages.BindingCode, [nameof(BindingCode)]);
        }
    }
}

public static class StaffApi
{
    public static RouteGroupBuilder MapStaff(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/staff")
            .WithTag("Staff", "Staff accounts: bind the account ops created to your WeChat login")
            .ContainsPersonalData();

        group.MapPost("/bind", BindStaff)
            .WithName(nameof(BindStaff))
            .WithSummary("Bind a staff account to the caller's WeChat login and get a staff token")
            .WithDescription("Log in with WeChat first, then send the binding code from ops. The code works once and expires after 72 hours.")
            .ProducesStandardProblems(400, 409, 415, 422, 429, 503);

        return group;
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> BindStaff(
        BindStaffRequest request, ClaimsPrincipal user, HttpContext http, StaffStore staff, TokenIssuer tokens,
        IOptions<RateLimitOptions> limits, TimeProvider time, CancellationToken ct)
    {
        var userId = user.UserId();
        var now = time.GetUtcNow().UtcDateTime;
        // The address the configured proxies report (UseForwardedHeaders), so one office's NAT is one address.
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var window = RateLimitOptions.BindFailureWindow;
        var (byUser, byAddress) = await staff.RecentBindFailuresAsync(userId, address, now - window, ct);
        var wait = TimeSpan.Zero;
        // A user's own wrong codes lock that user until the oldest of the last few leaves the window.
        if (byUser.Count >= limits.Value.BindFailuresPerUser)
        {
            wait = byUser.Order().ElementAt(byUser.Count - limits.Value.BindFailuresPerUser) + window - now;
        }
        // An address over its allowance only slows down those of its users who sent a wrong code themselves, and by
        // seconds: anyone behind an office's NAT could fill it, and must not lock out the staff member who did nothing wrong.
        if (byUser.Count > 0 && byAddress.Count >= limits.Value.BindFailuresPerAddress)
        {
            wait = Max(wait, byAddress.Max() + AddressDelay(byAddress.Count - limits.Value.BindFailuresPerAddress) - now);
        }
        if (wait > TimeSpan.Zero)
        {
            http.Response.SetRetryAfter(wait);
            return Problems.TooManyRequests(Messages.BindingLocked);
        }
        try
        {
            if (!await staff.BindToUserAsync(request.BindingCode!, userId, now, ct))
            {
                await staff.RecordBindFailureAsync(userId, address, now, ct);
                return Problems.Unprocessable("bindingCode", Messages.BindingCodeInvalid)
                    .WithCode(ProblemCodes.BindingCodeInvalid);
            }
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            return Problems.Conflict(Messages.WechatAlreadyBound);
        }
        var member = (await staff.FindActiveByUserAsync(userId, ct))!;
        return TypedResults.Ok(tokens.IssueLogin(userId, member.AsLoginStaff()));
    }

    /// <summary>After an address's last wrong code: 1 s at its allowance, doubling with each one over it, at most a minute.</summary>
    public static TimeSpan AddressDelay(int overAllowance) => TimeSpan.FromSeconds(Math.Min(60, 1 << Math.Min(overAllowance, 6)));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
