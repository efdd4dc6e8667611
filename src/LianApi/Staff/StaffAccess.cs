using LianApi.Auth;
using LianApi.Infrastructure;
using LianApi.Resources;

namespace LianApi.Staff;

/// <summary>
/// Staff endpoints load the caller's staff record from the database on every request: the token says who they
/// are, the database says what they may do now. A deactivated account is refused on its next request.
/// </summary>
public static class StaffAccess
{
    private static readonly object Key = new();

    public static RouteGroupBuilder RequireActiveStaff(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(policy => policy.RequireRole(StaffRoles.All));
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var staff = await http.RequestServices.GetRequiredService<StaffStore>()
                .FindActiveByUserAsync(http.User.UserId(), http.RequestAborted);
            if (staff is null)
            {
                return Problems.Forbidden(Messages.StaffInactive, ProblemCodes.StaffInactive);
            }
            http.Items[Key] = staff;
            return await next(context);
        });
        group.ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }

    public static StaffMember Staff(this HttpContext http) =>
        http.Items[Key] as StaffMember ?? throw new InvalidOperationException("The endpoint is not behind RequireActiveStaff.");
}
