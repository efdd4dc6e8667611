using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Infrastructure;
using LianApi.Shared;
using LianApi.Wechat;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LianApi.Auth;

public sealed record WechatLoginRequest(
    [property: Description("The code from wx.login(); valid once, for five minutes")]
    [property: Required(ErrorMessage = ValidationMessages.LoginCode), CharacterLength(128, MinimumLength = 1, ErrorMessage = ValidationMessages.LoginCode), PlainText]
    string? Code);

public sealed record LoginUser(
    [property: Description("Our user id; the WeChat openid never leaves the server")] long Id,
    // Staff depends on Auth, so the staff roles are spelled out here; a contract test compares them with StaffRoles.
    [property: OpenApiEnum(Roles.Resident, "community", "street", "department", "dispatcher", "admin", "volunteer")]
    [property: Description("resident, plus the staff role (community, street, department, dispatcher, admin, volunteer) of a bound staff account")] IReadOnlyList<string> Roles,
    [property: Description("Present when the user is an active staff member")] LoginStaff? Staff);

public sealed record LoginStaff(
    long Id,
    string Name,
    [property: OpenApiEnum("community", "street", "department", "dispatcher", "admin", "volunteer")] string Role,
    [property: OpenApiEnum(typeof(HandlingLevel))] string Level,
    string Unit);

public sealed record LoginResponse(
    [property: Description("Send as `Authorization: Bearer <token>`")] string AccessToken,
    [property: Description("When the token stops working (ISO 8601, Beijing offset)")] DateTimeOffset ExpiresAt,
    LoginUser User);

public static class AuthApi
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth")
            .WithTag("Auth", "WeChat login: a wx.login code becomes our access token (a staff token for bound staff accounts)")
            .ContainsPersonalData();

        group.MapPost("/wechat-login", WechatLogin)
            .WithName(nameof(WechatLogin))
            .WithSummary("Exchange a wx.login code for our access token")
            .WithDescription("Errors: 401 the code is invalid or used (call wx.login again); 403 WeChat's risk control blocked the user; " +
                             "429 too many logins (Retry-After); 500 our WeChat settings are wrong (the operators are alerted); " +
                             "502 WeChat answered with an error we do not know; 503 WeChat unavailable (Retry-After).")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Login)
            .ProducesStandardProblems(400, 401, 403, 415, 429, 500, 502, 503);

        return group;
    }

    public static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> WechatLogin(
        WechatLoginRequest request, IWechatLogin wechat, UserStore users, IStaffRoles staff, TokenIssuer tokens,
        IOptions<WechatOptions> wechatOptions, TimeProvider time, CancellationToken ct)
    {
        var identity = await wechat.ExchangeCodeAsync(request.Code!.Trim(), ct);
        var userId = await users.UpsertAsync(wechatOptions.Value.EffectiveAppId, identity.OpenId, time.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(tokens.IssueLogin(userId, await staff.FindActiveAsync(userId, ct)));
    }
}
