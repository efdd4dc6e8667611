using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Calendar;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Privacy;
using LianApi.Resources;
using LianApi.Shared;
using LianApi.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LianApi.Complaints;

public sealed record DispatchTargetRequest(
    [property: Description("department | street | community"), Required(ErrorMessage = ValidationMessages.DispatchLevel)]
    [property: AllowedValues(HandlingLevel.Department, HandlingLevel.Street, HandlingLevel.Community, ErrorMessage = ValidationMessages.DispatchLevel), PlainText] string? Level,
    [property: Description("The unit's code"), Required(ErrorMessage = ValidationMessages.DispatchCode), StringLength(32, ErrorMessage = ValidationMessages.DispatchCode), PlainText] string? Code);

public sealed record StaffActionRequest(
    [property: Description("Required for escalate, return, reject and request-extension. The resident reads it only as a rejection's reason; for every other action it is internal"), StringLength(StaffActionRequest.MaxText, ErrorMessage = ValidationMessages.StaffText), PlainText] string? Reason = null,
    [property: Description("Required for resolve and reply: the text for the resident. Besides a rejection's reason, this field is the only staff text a resident ever reads, whatever the action"), StringLength(StaffActionRequest.MaxText, ErrorMessage = ValidationMessages.StaffText), PlainText] string? Reply = null,
    [property: Description("Internal, always: never shown to the resident, whatever the action (required for note; optional elsewhere, e.g. a dispatch or supervision remark)"), StringLength(StaffActionRequest.MaxText, ErrorMessage = ValidationMessages.StaffText), PlainText] string? Note = null,
    [property: Description("request-extension: the proposed new resolution deadline, ISO 8601; without an offset it is Beijing time (2026-12-20T18:00 = 18:00 in Beijing)")] DateTimeOffset? NewDueAt = null,
    [property: Description("dispatch: where the case goes")] DispatchTargetRequest? Target = null,
    [property: Description("resolve and reply: ids of photos the caller uploaded with POST /api/photos, 0–9 (办结照片); required to resolve a case whose category requiresResolutionPhoto")] IReadOnlyList<string>? PhotoIds = null)
{
    public const int MaxText = 1000;
}

public sealed record ContactResponse([property: Description("The full number, for calling the resident back; this call is audited")] string Phone);

public static class StaffComplaintsApi
{
    public static RouteGroupBuilder MapStaffComplaints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/staff/complaints")
            .WithTag("Staff case handling", "The response chain: a unit's inbox, a case with its whole timeline, the actions on it and the audited phone number (staff token)")
            .RequireActiveStaff().ContainsPersonalData();

        group.MapGet("/", ListInbox)
            .WithName(nameof(ListInbox))
            .WithSummary("The unit's inbox: the cases in the caller's scope, filtered, newest or most urgent first")
            .ProducesStandardProblems(400);

        group.MapGet("/{trackingNo}", GetStaffComplaint)
            .WithName(nameof(GetStaffComplaint))
            .WithSummary("One case with its whole timeline, internal notes included")
            .ProducesStandardProblems(404);

        group.MapPost("/{trackingNo}/contact", RevealContact)
            .WithName(nameof(RevealContact))
            .WithSummary("The resident's full phone number, for the unit handling the case; every call is audited")
            .ProducesStandardProblems(404, 503);

        group.MapPost("/{trackingNo}/{action}", ActOnComplaint)
            .WithName(nameof(ActOnComplaint))
            .WithSummary("Act on a case: accept, start, escalate, dispatch, return, request-extension, approve-extension, deny-extension, resolve, reject, note, reply, supervise")
            .WithDescription("409 when the case is not in a status that allows the action, is held by another unit, or changed since the If-Match version; " +
                             "403 when the caller's role can never do it; 404 when the case is outside the caller's scope.")
            .ProducesStandardProblems(400, 404, 409, 415, 422, 503);

        return group;
    }

    public static async Task<Results<Ok<InboxPage>, ProblemHttpResult>> ListInbox(
        [AsParameters] InboxQuery query, HttpContext http, StaffInboxStore inbox, CancellationToken ct)
    {
        InboxCursor? after = null;
        if (query.Cursor is not null && !InboxCursor.TryParse(query.Cursor, out after))
        {
            return Problems.BadRequest("cursor", ValidationMessages.Cursor);
        }
        var limit = query.Limit ?? ComplaintLists.DefaultPageSize;
        return TypedResults.Ok(await inbox.ListAsync(http.Staff(), query, query.Sort == "urgent", limit, after, ct));
    }

    public static async Task<Results<Ok<StaffComplaintDetail>, ProblemHttpResult>> GetStaffComplaint(
        string trackingNo, HttpContext http, ComplaintStore complaints, PhotoLinks links, CancellationToken ct) =>
        await complaints.LoadAsync(trackingNo, ct) is { } loaded && ComplaintMachine.CanSee(http.Staff(), loaded.Complaint)
            ? TypedResults.Ok(loaded.Complaint.AsStaffDetail(loaded.Events, links.For))
            : NotFound(trackingNo);

    public static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> RevealContact(
        string trackingNo, HttpContext http, ComplaintStore complaints, PhoneProtector phones, TimeProvider time, CancellationToken ct)
    {
        var staff = http.Staff();
        if (await complaints.LoadAsync(trackingNo, ct) is not { Complaint: var complaint } || !ComplaintMachine.CanSee(staff, complaint))
        {
            return NotFound(trackingNo);
        }
        if (!ComplaintMachine.IsHandler(staff, complaint))
        {
            return Problems.Forbidden(Messages.NotHandlingUnit, ProblemCodes.NotHandlingUnit);
        }
        if (complaint.Anonymous)
        {
            // Anonymous means no unit ever learns who reported: not the handler either, not even with an audit row.
            return Problems.Forbidden(Messages.AnonymousReport, ProblemCodes.AnonymousReport);
        }
        var protectedPhone = await complaints.RevealPhoneAsync(complaint.Id, staff.Id, time.GetUtcNow().UtcDateTime, ct);
        return protectedPhone is null
            ? Problems.NotFound(Messages.NoPhone)
            : TypedResults.Ok(new ContactResponse(phones.Unprotect(protectedPhone)));
    }

    public static async Task<Results<Ok<StaffComplaintDetail>, ProblemHttpResult>> ActOnComplaint(
        string trackingNo, [OpenApiEnum(typeof(ComplaintActions))] string action, StaffActionRequest? request, [FromHeader(Name = "If-Match"), Description("The case's version as you read it: act only if nobody changed it since (409 otherwise)")] string? ifMatch,
        HttpContext http, ComplaintStore complaints, CommunityStore org, CalendarStore calendars, PhotoLinks links, TimeProvider time, CancellationToken ct)
    {
        request ??= new StaffActionRequest();
        if (PhotoIdChecks.Problem(request.PhotoIds, http) is { } photoProblem)
        {
            return photoProblem;
        }
        var staff = http.Staff();
        if (await complaints.LoadAsync(trackingNo, ct) is not { } loaded || !ComplaintMachine.CanSee(staff, loaded.Complaint))
        {
            return NotFound(trackingNo);
        }
        var complaint = loaded.Complaint;
        if (ifMatch is not null)
        {
            if (!TryParseVersion(ifMatch, out var expected))
            {
                return Problems.BadRequest("If-Match", ValidationMessages.IfMatch);
            }
            if (expected != complaint.Version)
            {
                return Problems.Conflict(Text.Format(Messages.CaseVersionChanged, expected, complaint.Version))
                    .WithCode(ProblemCodes.VersionConflict);
            }
        }
        DispatchTarget? target = null;
        if (action == ComplaintActions.Dispatch && request.Target is { } wanted)
        {
            if (await org.FindUnitAsync(wanted.Level!, wanted.Code!, ct) is not { } unit)
            {
                return Problems.Unprocessable("target", Text.Format(Messages.UnknownUnit, Text.Level(wanted.Level!), wanted.Code)).WithCode(ProblemCodes.UnknownUnit);
            }
            target = new DispatchTarget(wanted.Level!, unit.Id, unit.Name);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var input = new ActionInput(request.Reason?.Trim(), request.Reply?.Trim(), request.Note?.Trim(), request.NewDueAt?.UtcDateTime, target, request.PhotoIds);
        var decision = ComplaintMachine.Apply(complaint, action, staff, input, now, await calendars.GetAsync(ct));
        if (decision.Refusal is { } refusal)
        {
            return refusal.AsProblem();
        }
        try
        {
            return await complaints.ApplyAsync(loaded, decision.Transition!, Actor.ForStaff(staff), now, ct) is { } saved
                ? TypedResults.Ok(saved.Complaint.AsStaffDetail(saved.Events, links.For))
                : Problems.Conflict(Messages.ConcurrentAction).WithCode(ProblemCodes.VersionConflict);
        }
        catch (PhotoNotAttachableException photo)
        {
            return PhotoIdChecks.NotAttachable(http, photo.PhotoId);
        }
    }

    /// <summary>If-Match as our responses give it (the version, quoted or not, optionally weak): anything else is a client error.</summary>
    private static bool TryParseVersion(string ifMatch, out int version)
    {
        var text = ifMatch.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1];
        }
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version);
    }

    private static ProblemHttpResult NotFound(string trackingNo) =>
        Problems.NotFound(Text.Format(Messages.CaseNotInScope, trackingNo));
}
