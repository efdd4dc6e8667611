using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using LianApi.Auth;
using LianApi.Infrastructure;
using LianApi.Resources;
using LianApi.Staff;
using LianApi.Notifications.Wecom;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications;

public sealed record NotificationTemplateInfo(
    [property: Description(NotificationEvents.Description)] string Event,
    [property: Description("resident or staff: who receives it")] string Audience,
    [property: Description("Pass it to wx.requestSubscribeMessage")] string TemplateId,
    [property: Description("What the message is about, in Chinese")] string Label);

public sealed record NotificationTemplatesResponse(
    [property: Description("Template ids to request from a resident right after a report is submitted (wx.requestSubscribeMessage takes at most 3 per call: request the first 3)")] IReadOnlyList<string> AfterSubmit,
    [property: Description("Template ids to request from a staff member after binding (and again later: each accept allows one message)")] IReadOnlyList<string> AfterBinding,
    [property: Description("Every configured template; events without a template are not sent and not listed")] IReadOnlyList<NotificationTemplateInfo> Templates);

public sealed record ConsentsResponse(
    [property: Description("The template ids of this request that were counted as accepted (unknown template ids are ignored)")] IReadOnlyList<string> Accepted,
    [property: Description("The caller's credits now, per template")] IReadOnlyList<ConsentCredit> Credits);

public sealed record NotificationListQuery(
    [property: Description("Only this status: pending, sent, failed or skipped")]
    [property: AllowedValues(null, NotificationStatus.Pending, NotificationStatus.Sent, NotificationStatus.Failed, NotificationStatus.Skipped,
        ErrorMessage = ValidationMessages.NotificationStatus)] string? Status,
    [property: Description("Page size, 1–50 (default 20)"), Range(1, 50, ErrorMessage = ValidationMessages.PageSize)] int? Limit);

public static class NotificationsApi
{
    private const int MaxConsentEntries = 20;
    private const string ErrMsg = "errMsg";
    private static readonly string[] Accepts = ["accept"];
    private static readonly string[] Refusals = ["reject", "ban"];

    public static RouteGroupBuilder MapNotifications(this IEndpointRouteBuilder routes, IHostEnvironment environment)
    {
        var group = routes.MapGroup("/api/notifications")
            .WithTag("Notifications", "WeChat subscribe messages: the templates to request, and the caller's consents (each accept allows one message)")
            .RequireAuthorization();

        group.MapGet("/templates", GetNotificationTemplates)
            .WithName(nameof(GetNotificationTemplates))
            .WithSummary("The template ids to pass to wx.requestSubscribeMessage: after submitting a report (residents) and after binding (staff)");

        group.MapPost("/consents", RecordConsents)
            .WithName(nameof(RecordConsents))
            .WithSummary("Record the result of wx.requestSubscribeMessage as it is (errMsg, and template id → accept | reject | ban | filter)")
            .WithDescription("Only a successful answer counts (errMsg ending in :ok; without errMsg it is a 400). Each accept of a template offered to " +
                             $"the caller (GET /api/notifications/templates: staff templates to active staff only) is a credit for one message, up to {ConsentStore.MaxCredits} " +
                             "per template; reject and ban set it to zero. WeChat's own push of the same answer (subscribe_msg_popup_event) is paired " +
                             "with this one, so sending both counts the tap once.")
            .ProducesStandardProblems(400, 415);

        var staff = routes.MapGroup("/api/staff/notifications")
            .WithTag("Notifications", "WeChat subscribe messages: the templates to request, and the caller's consents (each accept allows one message)")
            .RequireActiveStaff();

        staff.MapGet("/", ListNotifications)
            .WithName(nameof(ListNotifications))
            .WithSummary("The notification outbox (subscribe and WeCom messages), newest first, with its backlogs (dispatch center and admins)")
            .ProducesStandardProblems(400);

        if (environment.IsDevelopment())
        {
            // Development only: what Emulator mode would have sent, so the front-end team can watch messages arrive.
            group.MapGet("/emulated", ListEmulatedNotifications)
                .WithName(nameof(ListEmulatedNotifications))
                .WithSummary("Development only: the latest messages Emulator mode recorded for the caller instead of sending them, with their rendered values");
        }
        return group;
    }

    public static Ok<NotificationTemplatesResponse> GetNotificationTemplates(IOptionsMonitor<NotificationOptions> options)
    {
        var o = options.CurrentValue;
        var templates = NotificationEvents.All
            .Select(e => (Event: e, Template: o.TemplateFor(e)))
            .Where(t => t.Template is not null)
            .Select(t => new NotificationTemplateInfo(t.Event, NotificationEvents.Staff.Contains(t.Event) ? "staff" : "resident",
                t.Template!.TemplateId, NotificationEvents.Labels[t.Event]))
            .ToList();
        return TypedResults.Ok(new NotificationTemplatesResponse(
            templates.Where(t => t.Audience == "resident").Select(t => t.TemplateId).Distinct().ToList(),
            templates.Where(t => t.Audience == "staff").Select(t => t.TemplateId).Distinct().ToList(),
            templates));
    }

    public static async Task<Results<Ok<ConsentsResponse>, ProblemHttpResult>> RecordConsents(
        [Description("The object wx.requestSubscribeMessage's success callback received: { \"errMsg\": \"requestSubscribeMessage:ok\", \"<templateId>\": \"accept\" }")]
        Dictionary<string, string> result,
        ClaimsPrincipal user, IOptionsMonitor<NotificationOptions> options, ConsentStore consents, ConsentOffers offers, TimeProvider time, CancellationToken ct)
    {
        if (result.Count > MaxConsentEntries + 1 || result.Any(r => r.Key.Length > 128 || r.Value.Length > (r.Key == ErrMsg ? 512 : 64)))
        {
            return Problems.BadRequest("$", ValidationMessages.Consents);
        }
        if (!result.TryGetValue(ErrMsg, out var errMsg))
        {
            return Problems.BadRequest(ErrMsg, ValidationMessages.Consents);
        }
        var userId = user.UserId();
        // A failed call (no dialog, no tap, :fail) granted nothing, whatever else the object says.
        if (!errMsg.EndsWith(":ok", StringComparison.Ordinal))
        {
            return TypedResults.Ok(new ConsentsResponse([], await consents.CreditsAsync(userId, ct)));
        }
        var known = options.CurrentValue.Templates.Values.Select(t => t.TemplateId).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);
        var offered = await offers.ForUserAsync(userId, ct);
        var accepted = result.Where(r => offered.Contains(r.Key) && Accepts.Contains(r.Value)).Select(r => r.Key).ToList();
        var refused = result.Where(r => known.Contains(r.Key) && Refusals.Contains(r.Value)).Select(r => r.Key).ToList();
        await consents.ApplyAsync(userId, accepted, refused, ConsentSource.Client, time.GetUtcNow().UtcDateTime, pushKey: null, ct);
        return TypedResults.Ok(new ConsentsResponse(accepted, await consents.CreditsAsync(userId, ct)));
    }

    public static async Task<Results<Ok<NotificationPage>, ProblemHttpResult>> ListNotifications(
        [AsParameters] NotificationListQuery query, StaffMember staff, NotificationStore outbox, WecomStore wecom, IOptionsMonitor<WecomOptions> wecomOptions,
        TimeProvider time, CancellationToken ct)
    {
        if (!staff.SeesEverything)
        {
            return Problems.Forbidden(Messages.NotificationsForbidden, ProblemCodes.Forbidden);
        }
        var items = await outbox.ListAsync(query.Status, query.Limit ?? 20, ct);
        var now = time.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(new NotificationPage(items, await outbox.BacklogAsync(now, ct),
            wecomOptions.CurrentValue.Enabled ? await wecom.BacklogAsync(now, ct) : null));
    }

    public static async Task<Ok<IReadOnlyList<EmulatedMessage>>> ListEmulatedNotifications(ClaimsPrincipal user, EmulatedMessageStore emulated, CancellationToken ct) =>
        TypedResults.Ok(await emulated.LatestAsync(user.UserId(), 50, ct));
}
