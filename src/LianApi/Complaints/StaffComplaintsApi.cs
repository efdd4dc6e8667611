using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
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
    [property: Description("The unit's code"), Required(ErrorMessage = ValidationMessages.DispatchCode), CharacterLength(32, ErrorMessage = ValidationMessages.DispatchCode), PlainText] string? Code);

public sealed record StaffActionRequest(
    [property: Description("Required for escalate, return, reject, request-extension, whistle, unpublish and reassign. The resident reads it only as a rejection's reason; for every other action it is internal"), CharacterLength(StaffActionRequest.MaxText, ErrorMessage = ValidationMessages.StaffText), PlainText] string? Reason = null,
    [property: Description("Required for resolve and reply: the text for the resident. Besides a rejection's reason, this field is the only staff text a resident ever reads, whatever the action"), CharacterLength(StaffActionRequest.MaxText, ErrorMessage = ValidationMessages.StaffText), PlainText] string? Reply = null,
    [property: Description("Internal, always: never shown to the resident, whatever the action (required for note; optional elsewhere, e.g. a dispatch or supervision remark)"), CharacterLength(StaffActionRequest.MaxText, ErrorMessage = ValidationMessages.StaffText), PlainText] string? Note = null,
    [property: Description("request-extension: the proposed new resolution deadline, ISO 8601; without an offset it is Beijing time (2026-12-20T18:00 = 18:00 in Beijing)")] DateTimeOffset? NewDueAt = null,
    [property: Description("dispatch: where the case goes; whistle: the paired department (level department); reassign: where the case goes instead (none: back to the dispatch center)")] DispatchTargetRequest? Target = null,
    [property: Description("resolve and reply: ids of photos the caller uploaded with POST /api/photos, 0–9 (办结照片); required to resolve a case whose category requiresResolutionPhoto")] IReadOnlyList<string>? PhotoIds = null,
    [property: Description("assign: the id of a grid worker of the case's community (GET /api/staff/communities/{code} lists them)")] long? AssigneeId = null,
    [property: Description("evaluate-by-phone: did the resident say the problem was solved?")] bool? Resolved = null,
    [property: Description("evaluate-by-phone: satisfied | basically_satisfied | unsatisfied, as the resident said on the phone")]
    [property: AllowedValues(null, Complaints.Satisfaction.Satisfied, Complaints.Satisfaction.BasicallySatisfied, Complaints.Satisfaction.Unsatisfied,
        ErrorMessage = ValidationMessages.Satisfaction), PlainText] string? Satisfaction = null,
    [property: Description("evaluate-by-phone: what the resident said, up to 500 characters; the resident's own words, shown on the timeline like a rating's comment"), CharacterLength(500, ErrorMessage = ValidationMessages.Comment), PlainText] string? Comment = null)
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
            .WithTag(Tag, TagDescription)
            .RequireActiveStaff().ContainsPersonalData();

        group.MapGet("/", ListInbox)
            .WithName(nameof(ListInbox))
            .WithSummary("The unit's inbox: the cases in the caller's scope, filtered, newest or most urgent first")
            .ProducesStandardProblems(400);

        group.MapGet("/export", ExportCases)
            .WithName(nameof(ExportCases))
            .WithSummary("案件清单: the inbox's filtered cases as a file (超期件, 吹哨件, a status, a period, a search …): CSV or xlsx, up to " + CaseListExport.MaxRowsText + " cases")
            .WithDescription("The inbox's filters, scope and order (limit and cursor are ignored: the whole filtered set up to the limit). Columns: 编号, 社区, 网格, 类别, 摘要, 承办单位, " +
                             "受理时间, 办理时限, 状态, 超期天数, 评价, 联系电话 (masked as in the inbox), 渠道; times in Beijing time. The xlsx is titled with the scope and " +
                             "the filters, its head frozen and repeated on every printed page (A4 landscape, one page wide), and ends with the number of cases listed.")
            .Produces<Stream>(StatusCodes.Status200OK, "text/csv", CaseListExport.XlsxContentType)
            .ProducesStandardProblems(400)
            .ProducesHeader(StatusCodes.Status200OK, Microsoft.Net.Http.Headers.HeaderNames.ContentDisposition, "attachment; filename=cases-YYYYMMDD-HHMM.csv (or .xlsx)", required: true)
            // A file of up to 100,000 rows takes longer than an answer's 15 s.
            .WithRequestTimeout(TimeSpan.FromMinutes(3));

        group.MapGet("/{trackingNo}", GetStaffComplaint)
            .WithName(nameof(GetStaffComplaint))
            .WithSummary("One case with its whole timeline, internal notes included")
            .ProducesStandardProblems(404);

        group.MapPost("/{trackingNo}/contact", RevealContact)
            .WithName(nameof(RevealContact))
            .WithSummary("The resident's full phone number, for the unit handling the case; every call is audited")
            .ProducesStandardProblems(404, 503);

        // One operation per action, each with its own request body (made from ComplaintMachine.Fields), so a generated client
        // knows what each needs; the route with the action as a parameter stays for clients that build the path.
        foreach (var action in ComplaintActions.All)
        {
            group.MapPost($"/{{trackingNo}}/{action}", (string trackingNo, StaffActionRequest? request,
                    [FromHeader(Name = "If-Match"), Description(IfMatchText)] string? ifMatch, StaffMember staff, [AsParameters] StaffActionServices services,
                    CancellationToken ct) => ActOnComplaint(trackingNo, action, request, ifMatch, staff, services, ct))
                .WithName(StaffActionBodies.OperationId(action))
                .WithSummary(ActionSummaries[action])
                .WithDescription(ActionsDescription)
                .WithMetadata(new StaffActionMetadata(action))
                .ProducesStandardProblems(400, 404, 409, 415, 422, 503);
        }
        group.MapPost("/{trackingNo}/{action}", ActOnComplaint)
            .WithName(nameof(ActOnComplaint))
            .ExcludeFromDescription();

        routes.MapGroup("/api/staff/call-backs")
            .WithTag(Tag, TagDescription)
            .RequireActiveStaff().ContainsPersonalData()
            .MapGet("/", ListCallBacks)
            .WithName(nameof(ListCallBacks))
            .WithSummary("The dispatch center's call-back queue (回访): cases the resident did not rate in time, and a share of rated ones, not called back yet")
            .WithDescription("Call the resident (POST …/contact gives the number, audited) and record the answer with POST …/evaluate-by-phone. " +
                             "The share of rated cases is the setting CallBacks__RatedSharePercent. Dispatch center and admin only (403 otherwise).")
            .ProducesStandardProblems(400, 403);

        return group;
    }

    // The inbox's query parameters as the spec names them: anything else is a typo that would filter nothing.
    private static readonly string[] InboxParameters = typeof(InboxQuery).GetConstructors()[0].GetParameters()
        .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name!)).ToArray();

    public static async Task<Results<Ok<CallBackPage>, ProblemHttpResult>> ListCallBacks(
        [Description("Page size, 1–50 (default 20)"), Range(1, ComplaintLists.MaxPageSize, ErrorMessage = ValidationMessages.PageSize)] int? limit,
        [Description("The nextCursor of the previous page")] string? cursor, StaffMember staff, CallBackQueue queue, CancellationToken ct)
    {
        if (!staff.SeesEverything)
        {
            return Problems.Forbidden(Messages.CallBacksForCenter, ProblemCodes.Forbidden);
        }
        long? after = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                return Problems.BadRequest("cursor", ValidationMessages.Cursor);
            }
            after = id;
        }
        return TypedResults.Ok(await queue.ListAsync(staff, limit ?? ComplaintLists.DefaultPageSize, after, ct));
    }

    private const string Tag = "Staff case handling";
    private const string TagDescription = "The response chain: a unit's inbox, a case with its whole timeline, the actions on it, the audited phone number and the call-back queue (staff token)";

    private const string IfMatchText = "The case's version as you read it: act only if nobody changed it since (409 otherwise)";

    private static readonly Dictionary<string, string> ActionSummaries = new()
    {
        [ComplaintActions.Accept] = "签收: accept a case your unit received",
        [ComplaintActions.Start] = "Start work on an accepted case",
        [ComplaintActions.Escalate] = "上报: a community hands the case to its street, a street to the dispatch center",
        [ComplaintActions.Dispatch] = "派单: the dispatch center sends a case it holds (waiting or accepted) to a department, street or community",
        [ComplaintActions.Return] = "退单: not our remit; the case goes back to the dispatch center",
        [ComplaintActions.RequestExtension] = "延期: ask the dispatch center for a later resolution deadline",
        [ComplaintActions.ApproveExtension] = "The dispatch center approves a pending extension",
        [ComplaintActions.DenyExtension] = "The dispatch center denies a pending extension",
        [ComplaintActions.Resolve] = "办结: resolve with a reply to the resident (and 办结照片 where the category requires them)",
        [ComplaintActions.Reject] = "不予受理: reject, with the reason the resident reads",
        [ComplaintActions.Note] = "An internal note on the timeline",
        [ComplaintActions.Reply] = "A reply the resident reads",
        [ComplaintActions.Supervise] = "督办: the dispatch center supervises the case",
        [ComplaintActions.Assign] = "指派: a community hands the case to one of its grid workers",
        [ComplaintActions.Whistle] = "吹哨: a community or street sends the case to a paired department",
        [ComplaintActions.EvaluateByPhone] = "回访: record the resident's answer on the phone (the dispatch center: any resolved case; a unit: a report it recorded)",
        [ComplaintActions.ContentReviewed] = "The dispatch center has reviewed text or photos WeChat flagged",
        [ComplaintActions.Unpublish] = "Withdraw the case from the public wall (办结公示), with an internal reason",
        [ComplaintActions.Reassign] = "改派/收回: the dispatch center takes the case back from any unit, to send it elsewhere or keep it",
    };

    private const string ActionsDescription =
        "GET /api/staff/complaints/{trackingNo} lists in allowedActions what the caller may do now, with each action's fields. " +
        "Every missing or invalid field is named under its JSON name in errors, all at once (400; 422 when only photos are wrong). " +
        "409 when the case is not in a status that allows the action, is held by another unit, or changed since the If-Match version; " +
        "403 when the caller's role can never do it; 404 when the case is outside the caller's scope. " +
        "whistle (吹哨, community or street staff holding the case) sends it to one of the community's paired departments, which must " +
        "accept (报到) within the category's response hours or the sweep escalates it to the dispatch center, supervised; the dispatch " +
        "center may redirect a whistle not yet reported with dispatch. assign (community staff) hands the case to a grid worker of its " +
        "community. reassign (改派/收回, the dispatch center) takes an open case from any unit with an internal reason: to target, or back " +
        "to the center without one. evaluate-by-phone records the answer of a resident called back (回访): by the dispatch center on any " +
        "resolved case (see GET /api/staff/call-backs; on a case already rated it is a check that changes nothing), by a unit on a report " +
        "it recorded on the resident's behalf; the same rules as the resident's own rating.";


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

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportCases(
        [AsParameters] InboxQuery query,
        [Description("csv (default) or xlsx")][AllowedValues(null, "csv", "xlsx", ErrorMessage = ValidationMessages.StatsFormat)] string? format,
        HttpRequest request, StaffMember staff, StaffInboxStore inbox, OrgDirectory directory, TimeProvider time, CancellationToken ct)
    {
        if (request.Query.Keys.FirstOrDefault(k => k != "format" && !InboxParameters.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            return Problems.BadRequest(unknown, Text.Format(Messages.UnknownQueryParameter, unknown, string.Join(", ", [.. InboxParameters, "format"])))
                .WithCode(ProblemCodes.UnknownParameter);
        }
        if (query.Sort == "urgent" && (query.Q ?? query.Phone) is not null)
        {
            return Problems.BadRequest("sort", ValidationMessages.SearchSort);
        }
        var now = time.GetUtcNow().UtcDateTime;
        CaseListExport.Reading read = row => inbox.ForEachAsync(staff, query, query.Sort == "urgent", CaseListExport.MaxRows, row, ct);
        if (format == "xlsx")
        {
            var title = CaseListExport.Title(staff, query, await directory.GetAsync(ct));
            return TypedResults.Stream(body => CaseListExport.WriteXlsxAsync(body, title, read, now, ct), CaseListExport.XlsxContentType,
                CaseListExport.FileName(now, "xlsx"));
        }
        return TypedResults.Stream(body => CaseListExport.WriteCsvAsync(body, read, now, ct), "text/csv; charset=utf-8", CaseListExport.FileName(now, "csv"));
    }

    public static async Task<Results<Ok<StaffComplaintDetail>, ProblemHttpResult>> GetStaffComplaint(
        string trackingNo, StaffMember staff, ComplaintStore complaints, PhotoLinks links, TimeProvider time, CancellationToken ct) =>
        await complaints.LoadAsync(trackingNo, ct) is { } loaded && ComplaintMachine.CanSee(staff, loaded.Complaint)
            ? TypedResults.Ok(loaded.Complaint.AsStaffDetail([.. ForReader(staff, loaded.Events)], links.For,
                ComplaintMachine.AllowedActions(staff, loaded.Complaint, time.GetUtcNow().UtcDateTime)))
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
        string trackingNo, [OpenApiEnum(typeof(ComplaintActions))] string action, StaffActionRequest? request, [FromHeader(Name = "If-Match"), Description(IfMatchText)] string? ifMatch,
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
        if (action is ComplaintActions.Dispatch or ComplaintActions.Whistle or ComplaintActions.Reassign && request.Target is { } wanted)
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
        var now = time.GetUtcNow().UtcDateTime;
        var input = new ActionInput(request.Reason?.Trim(), request.Reply?.Trim(), request.Note?.Trim(), request.NewDueAt?.UtcDateTime, target, request.PhotoIds, assignee,
            request.Resolved, request.Satisfaction, request.Comment?.Trim());
        var decision = ComplaintMachine.Apply(complaint, action, staff, input, now, await calendars.GetAsync(ct));
        if (decision.Refusal is { } refusal)
        {
            return refusal.AsProblem();
        }
        // The phone answer is the case's rating unless the center checked a case the resident had rated (then it only stands beside it).
        var rating = action == ComplaintActions.EvaluateByPhone && decision.Transition!.CallBack is not { Rated: false } ? input.Evaluation : null;
        try
        {
            return await complaints.ApplyAsync(loaded, decision.Transition!, Actor.ForStaff(staff), now, ct, rating) is { } saved
                ? TypedResults.Ok(saved.Complaint.AsStaffDetail(saved.Events, links.For, ComplaintMachine.AllowedActions(staff, saved.Complaint, now)))
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
