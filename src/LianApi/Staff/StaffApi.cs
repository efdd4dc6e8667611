using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using LianApi.Auth;
using LianApi.Data;
using LianApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Staff;

public sealed record BindStaffRequest(
    [property: Description("The one-time code ops printed with `staff add`, e.g. K7M2Q-9XDHA")]
    [property: Required(ErrorMessage = ValidationMessages.BindingCode), StringLength(32, ErrorMessage = ValidationMessages.BindingCode), PlainText] string? BindingCode)
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
        var group = routes.MapGroup("/api/staff").WithTags("Staff").ContainsPersonalData();

        group.MapPost("/bind", BindStaff)
            .WithName(nameof(BindStaff))
            .WithSummary("Bind a staff account to the caller's WeChat login and get a staff token")
            .WithDescription("Log in with WeChat first, then send the binding code from ops. The code works once and expires after 72 hours.")
            .ProducesStandardProblems(400, 409, 422);

        return group;
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> BindStaff(
        BindStaffRequest request, ClaimsPrincipal user, StaffStore staff, TokenIssuer tokens, TimeProvider time, CancellationToken ct)
    {
        var userId = user.UserId();
        try
        {
            if (!await staff.BindToUserAsync(request.BindingCode!, userId, time.GetUtcNow().UtcDateTime, ct))
            {
                return Problems.Unprocessable("bindingCode", "This binding code is unknown, already used or expired. Ask ops for a new one.");
            }
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            return Problems.Conflict("This WeChat account is already bound to another staff account.");
        }
        var member = (await staff.FindActiveByUserAsync(userId, ct))!;
        return TypedResults.Ok(tokens.IssueLogin(userId, member.AsLoginStaff()));
    }
}
