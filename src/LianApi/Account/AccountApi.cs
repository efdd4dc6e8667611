using System.Security.Claims;
using LianApi.Auth;
using LianApi.Infrastructure;
using LianApi.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Account;

public static class AccountApi
{
    public static RouteGroupBuilder MapAccount(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me")
            .WithTag("Account", "The caller's own account: who they are now and what they may be sent")
            .RequireAuthorization();
        group.MapGet("/", GetMe)
            .WithName(nameof(GetMe))
            .WithSummary("The caller now: roles (a staff account bound or retired since the token was issued shows here), the staff unit, and the subscribe credits per template");
        return group;
    }

    public static async Task<Ok<MeResponse>> GetMe(ClaimsPrincipal user, IStaffRoles staff, ConsentStore consents, CancellationToken ct)
    {
        var userId = user.UserId();
        var member = await staff.FindActiveAsync(userId, ct);
        string[] roles = member is null ? [Roles.Resident] : [Roles.Resident, member.Role];
        return TypedResults.Ok(new MeResponse(userId, roles, member, await consents.CreditsAsync(userId, ct)));
    }
}
