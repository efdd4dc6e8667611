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
    [property: Description("dispatch: where the case goes; whistle: the paired department (level department)")] DispatchTargetRequest? Target = null,
    [property: Description("resolve and reply: ids of photos the caller uploaded with POST /api/photos, 0–9 (办结照片); required to resolve a case whose category requiresResolutionPhoto")] IReadOnlyList<string>? PhotoIds = null,
    [property: Description("assign: the id of a grid worker of the case's community (GET /api/staff/communities/{code} lists them)")] long? AssigneeId = null,
    [property: Description("evaluate-by-phone: did the resident say the problem was solved?")] bool? Resolved = null,
    [property: Description("evaluate-by-phone: satisfied | basically_satisfied | unsatisfied, as the resident said on the phone")]
    [property: AllowedValues(null, Complaints.Satisfaction.Satisfied, Complaints.Satisfaction.BasicallySatisfied, Complaints.Satisfaction.Unsatisfied,
        ErrorMessage = ValidationMessages.Satisfaction), PlainText] string? Satisfaction = null,
    [property: Description("evaluate-by-phone: what the resident said, up to 500 characters; the resident's own words, shown on the timeline like a rating's comment"), StringLength(500, ErrorMessage = ValidationMessages.Comment), PlainText] string? Comment = null)
{
    public const int MaxText = 1000;
}

public sealed record ContactResponse(
    [property: Description("The full number, for calling the resident back; this call is audited")] string Phone,
    [property: Description("The resident's name, when staff recorded the report on their behalf and the resident agreed to give it")] string? Name = null);

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
            .WithSummary("Act on a case: accept, start, escalate, dispatch, return, request-extension, approve-extension, deny-extension, resolve, reject, note, reply, supervise, assign, whistle, evaluate-by-phone")
            .WithDescription("409 when the case is not in a status that allows the action, is held by another unit, or changed since the If-Match version; " +
                             "403 when the caller's role can never do it; 404 when the case is outside the caller's scope. " +
                             "whistle (吹哨, community or street staff holding the case) sends it to one of the community's paired departments, which must " +
                             "accept (报到) within the category's response hours or the sweep escalates it to the dispatch center, supervised; the dispatch " +
                             "center may redirect a whistle not yet reported with dispatch. assign (community staff) hands the case to a grid worker of its " +
                             "community. evaluate-by-phone records the answer of a resident called back (回访) on a report recorded on their behalf: " +
                             "the same rules as the resident's own rating.")
            .ProducesStandardProblems(400, 404, 409, 415, 422, 503);

        return group;
    }

    // The inbox's query parameters as the spec names them: anything else is a typo that would filter nothing.
    private static readonly string[] InboxParameters = typeof(InboxQuery).GetConstructors()[0].GetParameters()
        .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name!)).ToArray();

    public static async Task<Results<Ok<InboxPage>, ProblemHttpResult>> ListInbox(
        [AsParameters] InboxQuery query, HttpRequest request, StaffMember staff, StaffInboxStore inbox, CancellationToken ct)
    {
        if (request.Query.Keys.FirstOrDefault(k => !InboxParameters.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            return Problems.BadRequest(unknown, Text.Format(Messages.UnknownQueryParameter, unknown, string.Join(", ", InboxParameters)))
                .WithCode(ProblemCodes.UnknownParameter);
        }
        if (query.Sort == "urgent" && (query.Q ?? query.Phone) is not null)
        {
            return Problems.BadRequest("sort", ValidationMessages.SearchSort);
        }
        InboxCursor? after = null;
        if (query.Cursor is not null && !InboxCursor.TryParse(query.Cursor, out after))
        {
            return Problems.BadRequest("cursor", ValidationMessages.Cursor);
        }
        var limit = query.Limit ?? ComplaintLists.DefaultPageSize;
        return TypedResults.Ok(await inbox.ListAsync(staff, query, query.Sort == "urgent", limit, after, ct));
    }

    public static async Task<Results<Ok<StaffComplaintDetail>, ProblemHttpResult>> GetStaffComplaint(
        string trackingNo, StaffMember staff, ComplaintStore complaints, PhotoLinks links, CancellationToken ct) =>
        await complaints.LoadAsync(trackingNo, ct) is { } loaded && ComplaintMachine.CanSee(staff, loaded.Complaint)
            ? TypedResults.Ok(loaded.Complaint.AsStaffDetail([.. ForReader(staff, loaded.Events)], links.For))
            : NotFound(trackingNo);

    // A volunteer follows the reports they recorded as the resident would: the public steps only, never internal notes.
    private static IEnumerable<ComplaintEventRow> ForReader(StaffMember staff, IReadOnlyList<ComplaintEventRow> events) =>
        staff.Role == StaffRoles.Volunteer ? events.Where(e => e.IsPublic) : events;

    public static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> RevealContact(
        string trackingNo, StaffMember staff, ComplaintStore complaints, PhoneProtector phones, TimeProvider time, CancellationToken ct)
    {
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
        if (protectedPhone is null)
        {
            return Problems.NotFound(Messages.NoPhone);
        }
        // A report recorded on a resident's behalf may carry the name they agreed to give: read under the same audit row.
        var protectedName = complaint.RecordedByStaffId is null ? null : await complaints.FindResidentNameAsync(complaint.Id, ct);
        return TypedResults.Ok(new ContactResponse(phones.Unprotect(protectedPhone), protectedName is null ? null : phones.Unprotect(protectedName)));
    }

    public static async Task<Results<Ok<StaffComplaintDetail>, ProblemHttpResult>> ActOnComplaint(
        string trackingNo, [OpenApiEnum(typeof(ComplaintActions))] string action, StaffActionRequest? request, [FromHeader(Name = "If-Match"), Description("The case's version as you read it: act only if nobody changed it since (409 otherwise)")] string? ifMatch,
        StaffMember staff, [AsParameters] StaffActionServices services, CancellationToken ct)
    {
        var (complaints, org, staffStore, calendars, links, time) = services;
        request ??= new StaffActionRequest();
        if (PhotoIdChecks.Problem(request.PhotoIds) is { } photoProblem)
        {
            return photoProblem;
        }
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
        if (action is ComplaintActions.Dispatch or ComplaintActions.Whistle && request.Target is { } wanted)
        {
            if (await org.FindUnitAsync(wanted.Level!, wanted.Code!, ct) is not { } unit)
            {
                return Problems.Unprocessable("target", Text.Format(Messages.UnknownUnit, Text.Level(wanted.Level!), wanted.Code)).WithCode(ProblemCodes.UnknownUnit);
            }
            if (unit.RetiredAt is not null)
            {
                return Problems.Unprocessable("target", Text.Format(Messages.UnitRetired, Text.Level(wanted.Level!), unit.Name)).WithCode(ProblemCodes.UnitRetired);
            }
            target = new DispatchTarget(wanted.Level!, unit.Id, unit.Name);
            if (action == ComplaintActions.Whistle && wanted.Level == HandlingLevel.Department && MayAct(staff, action)
                && !await org.IsPairedAsync(unit.Id, complaint.CommunityId, ct))
            {
                return Problems.Unprocessable("target", Text.Format(Messages.NotPaired, unit.Name, complaint.CommunityName, complaint.CommunityCode))
                    .WithCode(ProblemCodes.NotPaired);
            }
        }
        AssigneeTarget? assignee = null;
        if (action == ComplaintActions.Assign && request.AssigneeId is { } assigneeId && MayAct(staff, action))
        {
            if ((await staffStore.ListGridWorkersAsync(complaint.CommunityId, ct)).FirstOrDefault(w => w.Id == assigneeId) is not { } worker)
            {
                return Problems.Unprocessable("assigneeId", Text.Format(Messages.UnknownAssignee, assigneeId, complaint.CommunityName, complaint.CommunityCode))
                    .WithCode(ProblemCodes.UnknownAssignee);
            }
            assignee = new AssigneeTarget(worker.Id, worker.Name);
        }
        Evaluation? byPhone = action == ComplaintActions.EvaluateByPhone && request.Resolved is { } resolved && request.Satisfaction is { } satisfaction
            ? new Evaluation(resolved, satisfaction, string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim(), ByPhone: true)
            : null;

        var now = time.GetUtcNow().UtcDateTime;
        var input = new ActionInput(request.Reason?.Trim(), request.Reply?.Trim(), request.Note?.Trim(), request.NewDueAt?.UtcDateTime, target, request.PhotoIds, assignee, byPhone);
        var decision = ComplaintMachine.Apply(complaint, action, staff, input, now, await calendars.GetAsync(ct));
        if (decision.Refusal is { } refusal)
        {
            return refusal.AsProblem();
        }
        try
        {
            return await complaints.ApplyAsync(loaded, decision.Transition!, Actor.ForStaff(staff), now, ct, byPhone) is { } saved
                ? TypedResults.Ok(saved.Complaint.AsStaffDetail(saved.Events, links.For))
                : Problems.Conflict(Messages.ConcurrentAction).WithCode(ProblemCodes.VersionConflict);
        }
        catch (PhotoNotAttachableException photo)
        {
            return PhotoIdChecks.NotAttachable(photo.PhotoId);
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

    // Targets are looked up (and a pairing or an assignee refused) only for a role that may ever act so: others get the machine's 403.
    private static bool MayAct(StaffMember staff, string action) =>
        ComplaintMachine.AllowedRoles.TryGetValue(action, out var roles) && roles.Contains(staff.Role);

    private static ProblemHttpResult NotFound(string trackingNo) =>
        Problems.NotFound(Text.Format(Messages.CaseNotInScope, trackingNo));
}
