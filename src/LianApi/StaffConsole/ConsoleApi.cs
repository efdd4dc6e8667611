using LianApi.Infrastructure;
using LianApi.Shared;
using LianApi.Staff;
using LianApi.StaffConsole.Pages;
using LianApi.Wechat;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LianApi.StaffConsole;

public sealed record LoginWaitResponse(string Status, string? Next);

public sealed record WallVersionResponse(long Version);

/// <summary>The console's endpoints besides its pages: the waiting login page's question, the development login, logout and the wallboard's data.</summary>
public static class ConsoleApi
{
    public static RouteGroupBuilder MapConsoleEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(ConsoleAuth.Root).ExcludeFromDescription().ContainsPersonalData();

        group.MapPost("/login/wait", WaitForApproval).AllowAnonymous();
        group.MapPost("/login/dev", DevelopmentLogin).AllowAnonymous();
        // Authorized like a page: the form's antiforgery token belongs to the signed-in person, so it validates only for them.
        group.MapPost("/logout", Logout).RequireAuthorization(ConsoleAuth.Policy);

        var data = group.MapGroup("/data").RequireAuthorization(ConsoleAuth.Policy);
        data.MapGet("/version", WallVersion);
        data.MapGet("/wall", WallFragment);
        // The API's export handler with the session's staff member: the statistics page's download links.
        data.MapGet("/stats/export", Stats.StatsApi.ExportStats);
        data.MapGet("/cases.csv", ExportInbox);
        // The API's kept reports with the session's staff member: the link of a report's WeCom card and of the statistics page.
        data.MapGet("/reports/{kind}/{date}.{format}", Reports.DailyReportsApi.GetReportFile);
        // The API's case list with the session's staff member: the inbox's printable 案件清单.
        data.MapGet("/cases.xlsx", Complaints.StaffComplaintsApi.ExportCases).WithRequestTimeout(TimeSpan.FromMinutes(3));
        group.MapPost("/admin/binding-sheet", AdminBindingSheet).RequireAuthorization(ConsoleAuth.Policy);
        return group;
    }

    /// <summary>Why 管理 could not make a binding sheet, told on the page it came from.</summary>
    public static class BindingSheetProblems
    {
        public const string NoneChosen = "none";
        public const string NoLink = "no-link";
    }

    /// <summary>
    /// 管理's binding sheet: a new code for each chosen account that is active and not bound yet, printed as the sheet
    /// the staff import writes (a card per person, a page per unit). Codes are stored only as hashes, so a sheet cannot
    /// be printed again, only made anew; an account bound meanwhile is left out and keeps its binding.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, RedirectHttpResult, ProblemHttpResult>> AdminBindingSheet(
        [FromForm(Name = "staffId")] long[]? staffIds, StaffMember staff, StaffStore store, IOptions<QrCodes.QrCodeOptions> qrCodes,
        TimeProvider time, ILogger<StaffListing> logger, CancellationToken ct)
    {
        if (staff.Role != StaffRoles.Admin)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "“管理”仅供管理员使用。");
        }
        var prefix = qrCodes.Value.BindingLinkPrefix;
        if (prefix.Length == 0)
        {
            return TypedResults.Redirect($"{ConsoleAuth.Root}/admin?sheet={BindingSheetProblems.NoLink}");
        }
        var chosen = (staffIds ?? []).ToHashSet();
        var accounts = (await store.ListForOpsAsync(ct)).Where(a => chosen.Contains(a.Id) && a.IsActive && a.UserId is null).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        var entries = new List<BindingSheetEntry>();
        foreach (var account in accounts)
        {
            if (await store.RenewUnboundCodeAsync(account.Id, now, ct) is { } code)
            {
                entries.Add(new BindingSheetEntry(account.UnitName, account.Name, account.Role, account.GridCode, code));
            }
        }
        if (entries.Count == 0)
        {
            return TypedResults.Redirect($"{ConsoleAuth.Root}/admin?sheet={BindingSheetProblems.NoneChosen}");
        }
        using var pdf = new MemoryStream();
        BindingSheet.Write(pdf, [.. entries.OrderBy(e => e.UnitName, StringComparer.Ordinal)], code => prefix + code);
        logger.LogInformation("Staff {StaffId} issued new binding codes for {Count} unbound account(s): {Accounts}",
            staff.Id, entries.Count, string.Join(",", entries.Select(e => e.Code.StaffId)));
        return TypedResults.File(pdf.ToArray(), "application/pdf", $"绑定单-{BeijingDay.Of(now).Stamp}.pdf");
    }

    /// <summary>
    /// The login page asks every two seconds whether its ticket was approved. Only the browser holding the ticket's binding
    /// cookie gets an answer other than "unknown"; once approved, the ticket is spent and the session cookie set.
    /// </summary>
    public static async Task<Ok<LoginWaitResponse>> WaitForApproval([FromQuery] string? ticket, [FromQuery] string? returnUrl, HttpContext http,
        LoginTicketStore tickets, TimeProvider time, CancellationToken ct)
    {
        if (!ConsoleSecrets.LooksLikeTicket(ticket))
        {
            return TypedResults.Ok(new LoginWaitResponse("unknown", null));
        }
        http.Request.Cookies.TryGetValue(ConsoleCookies.LoginBinding, out var binding);
        var now = time.GetUtcNow().UtcDateTime;
        var (state, session) = await tickets.RedeemAsync(ticket!, binding, http.Request.Headers.UserAgent.ToString(), now, ct);
        if (session is null)
        {
            return TypedResults.Ok(new LoginWaitResponse(state.ToString().ToLowerInvariant(), null));
        }
        http.Response.Cookies.Delete(ConsoleCookies.LoginBinding, ConsoleCookies.SessionOptions());
        http.Response.Cookies.Append(ConsoleCookies.Session, session, ConsoleCookies.SessionOptions());
        return TypedResults.Ok(new LoginWaitResponse("approved", ConsoleAuth.LocalReturnUrl(returnUrl)));
    }

    /// <summary>Development only (Emulator): log in as an existing, bound staff account, picked on the login page.</summary>
    public static async Task<Results<RedirectHttpResult, NotFound>> DevelopmentLogin([FromForm] long staffId, [FromForm] string? returnUrl, HttpContext http,
        IOptions<WechatOptions> wechat, StaffStore staffStore, ConsoleSessionStore sessions, TimeProvider time, CancellationToken ct)
    {
        if (wechat.Value.Mode != WechatMode.Emulator)
        {
            return TypedResults.NotFound();
        }
        var member = (await staffStore.ListAsync(ct)).FirstOrDefault(s => s.Id == staffId && s.IsActive && s.UserId is not null);
        if (member is null)
        {
            return TypedResults.Redirect(ConsoleAuth.LoginPath);
        }
        var session = await sessions.CreateAsync(member.Id, member.UserId!.Value, http.Request.Headers.UserAgent.ToString(), time.GetUtcNow().UtcDateTime, ct);
        http.Response.Cookies.Append(ConsoleCookies.Session, session, ConsoleCookies.SessionOptions());
        return TypedResults.Redirect(ConsoleAuth.LocalReturnUrl(returnUrl));
    }

    /// <summary>Logout ends the session row (every instance forgets it at once) and drops the cookie.</summary>
    public static async Task<RedirectHttpResult> Logout([FromForm] string? reason, HttpContext http, ConsoleSessionStore sessions, CancellationToken ct)
    {
        if (http.Request.Cookies.TryGetValue(ConsoleCookies.Session, out var token) && token.Length > 0)
        {
            await sessions.EndAsync(token, ct);
        }
        http.Response.Cookies.Delete(ConsoleCookies.Session, ConsoleCookies.SessionOptions());
        return TypedResults.Redirect(ConsoleAuth.LoginPath);
    }

    /// <summary>What the wallboard's script asks every few seconds: one seek, the newest step of any case.</summary>
    public static async Task<Ok<WallVersionResponse>> WallVersion(WallStore wall, CancellationToken ct) =>
        TypedResults.Ok(new WallVersionResponse(await wall.VersionAsync(ct)));

    /// <summary>The wallboard's figures as the page shows them, for the script to swap in when the version moved.</summary>
    public static async Task<RazorComponentResult<WallPanel>> WallFragment([FromQuery] bool? screen, StaffMember staff, WallStore wall, CancellationToken ct) =>
        new(new Dictionary<string, object?>
        {
            [nameof(WallPanel.Figures)] = await wall.FiguresAsync(staff, ct),
            [nameof(WallPanel.Staff)] = staff,
            [nameof(WallPanel.Screen)] = screen == true,
        });

    /// <summary>
    /// The inbox's list as the page filters it, every page of it up to <see cref="InboxExport.MaxRows"/>: the inbox's own
    /// handler, so the scope, the filters and the masking are the API's.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportInbox(HttpContext http, StaffMember staff, ConsoleActions actions,
        TimeProvider time, CancellationToken ct)
    {
        var (query, errors) = InboxForm.Read(http.Request.Query);
        if (errors.Count > 0)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Detail = ConsoleFieldErrors.Summary });
        }
        query = query with { Limit = Complaints.ComplaintLists.MaxPageSize, Cursor = null };
        var items = new List<Complaints.InboxItem>();
        while (items.Count < InboxExport.MaxRows)
        {
            var page = await actions.ListAsync(query, http.Request, staff, ct);
            if (page.Value is not { } found)
            {
                return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>(page.Errors)) { Status = page.Status, Detail = page.Detail });
            }
            items.AddRange(found.Items);
            if (found.NextCursor is null)
            {
                break;
            }
            query = query with { Cursor = found.NextCursor };
        }
        return TypedResults.File(InboxExport.Csv(items), "text/csv; charset=utf-8", InboxExport.FileName(time.GetUtcNow().UtcDateTime));
    }
}
