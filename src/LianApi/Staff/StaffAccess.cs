using LianApi.Auth;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace LianApi.Staff;

/// <summary>
/// Staff endpoints load the caller's staff record from the database on every request: the token says who they
/// are, the database says what they may do now. A deactivated account is refused on its next request. The record is
/// read once, while the request is authorized, and reaches a handler as its <see cref="StaffMember"/> parameter.
/// </summary>
public static class StaffAccess
{
    public const string Policy = "active-staff";

    public static RouteGroupBuilder RequireActiveStaff(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policy);
        group.ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }

    internal static IServiceCollection AddActiveStaffPolicy(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireRole(StaffRoles.All).AddRequirements(new ActiveStaffRequirement()));
        return services
            .AddSingleton<IAuthorizationHandler, ActiveStaffHandler>()
            .AddSingleton<IAuthorizationMiddlewareResultHandler, InactiveStaffAnswer>();
    }

    /// <summary>The staff member the request was authorized as, or, on a route outside the policy, looked up now.</summary>
    internal static async ValueTask<StaffMember?> CurrentAsync(HttpContext http) =>
        http.Features.Get<StaffMember>() ?? await http.RequestServices.GetRequiredService<StaffStore>()
            .FindActiveByUserAsync(http.User.UserId(), http.RequestAborted);

    private sealed class ActiveStaffRequirement : IAuthorizationRequirement;

    private sealed class ActiveStaffHandler(StaffStore store) : AuthorizationHandler<ActiveStaffRequirement>
    {
        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ActiveStaffRequirement requirement)
        {
            // Anonymous, or no staff role in the token: the role requirement refuses it, no need to ask the database.
            if (context.Resource is not HttpContext http || !StaffRoles.All.Any(context.User.IsInRole))
            {
                return;
            }
            if (await store.FindActiveByUserAsync(context.User.UserId(), http.RequestAborted) is { } staff)
            {
                http.Features.Set(staff);
                context.Succeed(requirement);
            }
            else
            {
                context.Fail(new AuthorizationFailureReason(this, ProblemCodes.StaffInactive));
            }
        }
    }

    /// <summary>A refusal because the account is deactivated (or unbound) says so, with its code; every other answer is the framework's.</summary>
    private sealed class InactiveStaffAnswer : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler framework = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
        {
            if (result.Forbidden && result.AuthorizationFailure?.FailureReasons.Any(r => r.Handler is ActiveStaffHandler) == true)
            {
                await Problems.Forbidden(Messages.StaffInactive, ProblemCodes.StaffInactive).ExecuteAsync(context);
                return;
            }
            await framework.HandleAsync(next, context, policy, result);
        }
    }
}
