using System.ComponentModel;
using LianApi.Infrastructure;
using LianApi.Resources;
using LianApi.Shared;
using LianApi.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.StaffConsole;

public sealed record ConsoleLoginResponse(
    [property: Description("waiting: nobody approved it yet; approved: approved (by this call, or before); expired: older than 2 minutes")]
    [property: OpenApiEnum("waiting", "approved", "expired")] string Status,
    [property: Description("The User-Agent of the browser that shows the code, to tell the staff member what they let in")] string Browser,
    [property: Description("When the browser showed the code")] DateTimeOffset RequestedAt,
    [property: Description("When the code stops working (2 minutes after it was shown)")] DateTimeOffset ExpiresAt);

/// <summary>
/// The mini-program's half of the console's scan-to-log-in (扫码登录): the staff page opened by the login code reads what is
/// asking, then approves it with the staff token; the waiting browser then receives its session.
/// </summary>
public static class ConsoleLoginsApi
{
    public static RouteGroupBuilder MapConsoleLogins(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/staff/console-logins")
            .WithTag("Staff console login", "Scan-to-log-in for the staff console (扫码登录): the login page's code carries a one-time ticket in its scene; " +
                "the staff page of the mini-program shows what is asking and approves it with the staff token (staff token)")
            .RequireActiveStaff().ContainsPersonalData();

        group.MapGet("/{ticket}", GetConsoleLogin)
            .WithName(nameof(GetConsoleLogin))
            .WithSummary("What a console login ticket asks for: the browser and when; show it before approving")
            .ProducesStandardProblems(404);

        group.MapPost("/{ticket}", ApproveConsoleLogin)
            .WithName(nameof(ApproveConsoleLogin))
            .WithSummary("Approve a console login ticket: the browser that shows the code is logged in as the caller")
            .WithDescription("The ticket is the scene of the mini-program code on the console's login page. It works once, for 2 minutes, and only " +
                "for the browser that showed it. 404 login_ticket_unknown, 409 login_ticket_expired or login_ticket_used.")
            .ProducesStandardProblems(404, 409);

        return group;
    }

    public static async Task<Results<Ok<ConsoleLoginResponse>, ProblemHttpResult>> GetConsoleLogin(
        [Description("The scene of the login code (22 characters)")] string ticket, StaffMember staff, LoginTicketStore tickets, TimeProvider time,
        CancellationToken ct) =>
        (ConsoleSecrets.LooksLikeTicket(ticket) ? await tickets.FindAsync(ticket, ct) : null) is { } row
            ? TypedResults.Ok(Describe(row, time.GetUtcNow().UtcDateTime))
            : Unknown();

    public static async Task<Results<Ok<ConsoleLoginResponse>, ProblemHttpResult>> ApproveConsoleLogin(
        [Description("The scene of the login code (22 characters)")] string ticket, StaffMember staff, LoginTicketStore tickets, TimeProvider time,
        CancellationToken ct)
    {
        if (!ConsoleSecrets.LooksLikeTicket(ticket))
        {
            return Unknown();
        }
        var now = time.GetUtcNow().UtcDateTime;
        return await tickets.ApproveAsync(ticket, staff, now, ct) switch
        {
            TicketApproval.Approved => TypedResults.Ok(Describe((await tickets.FindAsync(ticket, ct))!, now)),
            TicketApproval.Expired => Problems.Conflict(Messages.LoginTicketExpired).WithCode(ProblemCodes.LoginTicketExpired),
            TicketApproval.Used => Problems.Conflict(Messages.LoginTicketUsed).WithCode(ProblemCodes.LoginTicketUsed),
            _ => Unknown(),
        };
    }

    private static ConsoleLoginResponse Describe(LoginTicketRow row, DateTime now) => new(
        row.ApprovedAt is not null ? "approved" : row.ExpiresAt <= now ? "expired" : "waiting",
        row.UserAgent, row.CreatedAt.AsChinaTime(), row.ExpiresAt.AsChinaTime());

    private static ProblemHttpResult Unknown() => Problems.NotFound(Messages.LoginTicketUnknown).WithCode(ProblemCodes.LoginTicketUnknown);
}
