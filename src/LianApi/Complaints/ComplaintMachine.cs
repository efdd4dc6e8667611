using LianApi.Infrastructure;
using LianApi.Calendar;
using LianApi.Resources;
using LianApi.Shared;
using LianApi.Staff;

namespace LianApi.Complaints;

/// <summary>Who acts: a staff member, the resident who filed the case, or the deadline sweep.</summary>
public sealed record Actor(StaffMember? Staff, long? UserId, string? UnitName)
{
    public const string SystemName = "系统";
    public static Actor System { get; } = new(null, null, SystemName);
    public static Actor ForStaff(StaffMember staff) => new(staff, staff.UserId, staff.UnitName);
    public static Actor Resident(long userId) => new(null, userId, null);
}

public sealed record ComplaintEvent(string Kind, string? Note, bool IsPublic, string? UnitName = null, IReadOnlyList<string>? PhotoIds = null);

/// <summary>A refused action: the status code says why (403 never allowed for the role, 409 not now, 400/422 bad input).</summary>
public sealed record Refusal(int StatusCode, string Detail, string? Code = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>
    /// The refusal as the client reads it: 409 means the case is not in a state for this (invalid_state); a refusal of
    /// the input names every field it refuses under its JSON name in <c>errors</c>, so a form can mark each one.
    /// </summary>
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult AsProblem() => Errors is { Count: > 0 } errors
        ? Problems.Validation(errors.ToDictionary(), StatusCode).WithCode(Code ?? ProblemCodes.ForStatus(StatusCode, fieldErrors: true))
        : TypedResults.Problem(Detail, statusCode: StatusCode).WithCode(Code ?? (StatusCode == StatusCodes.Status409Conflict
            ? ProblemCodes.InvalidState : ProblemCodes.ForStatus(StatusCode, fieldErrors: false)));
}

public sealed record Transition(Complaint Next, IReadOnlyList<ComplaintEvent> Events)
{
    /// <summary>A call-back (回访) by the dispatch center: stored beside the transition, whatever the answer does to the case.</summary>
    public CallBack? CallBack { get; init; }
}

/// <summary>What a resident said when the dispatch center called them back (回访), about the unit that resolved the case.</summary>
public sealed record CallBack(string UnitLevel, long? UnitId, bool Resolved, string Satisfaction, string? Comment, bool Rated);

public static class ComplaintActions
{
    public const string Accept = "accept";
    public const string Start = "start";
    public const string Escalate = "escalate";
    public const string Dispatch = "dispatch";
    public const string Return = "return";
    public const string RequestExtension = "request-extension";
    public const string ApproveExtension = "approve-extension";
    public const string DenyExtension = "deny-extension";
    public const string Resolve = "resolve";
    public const string Reject = "reject";
    public const string Note = "note";
    public const string Reply = "reply";
    public const string Supervise = "supervise";
    public const string Assign = "assign";
    public const string Whistle = "whistle";
    public const string EvaluateByPhone = "evaluate-by-phone";
    public const string ContentReviewed = "content-reviewed";
    public const string Unpublish = "unpublish";
    public const string Reassign = "reassign";

    public static readonly string[] All =
        [Accept, Start, Escalate, Dispatch, Return, RequestExtension, ApproveExtension, DenyExtension, Resolve, Reject, Note, Reply, Supervise,
         Assign, Whistle, EvaluateByPhone, ContentReviewed, Unpublish, Reassign];
}

/// <summary>The target of a dispatch (派单), resolved from its code by the caller.</summary>
public sealed record DispatchTarget(string Level, long UnitId, string UnitName);

/// <summary>The grid worker a case is assigned to, resolved and checked (same community, active) by the caller.</summary>
public sealed record AssigneeTarget(long StaffId, string Name);

/// <summary>What a staff action carries besides its name.</summary>
public sealed record ActionInput(string? Reason = null, string? Reply = null, string? Note = null, DateTime? NewDueAt = null, DispatchTarget? Target = null,
    IReadOnlyList<string>? PhotoIds = null, AssigneeTarget? Assignee = null, bool? Resolved = null, string? Satisfaction = null, string? Comment = null)
{
    /// <summary>Whether the field named as in the request's JSON was given (text: not blank).</summary>
    public bool Has(string field) => field switch
    {
        ActionFields.Reason => !string.IsNullOrWhiteSpace(Reason),
        ActionFields.Reply => !string.IsNullOrWhiteSpace(Reply),
        ActionFields.Note => !string.IsNullOrWhiteSpace(Note),
        ActionFields.NewDueAt => NewDueAt is not null,
        ActionFields.Target => Target is not null,
        ActionFields.PhotoIds => PhotoIds is { Count: > 0 },
        ActionFields.AssigneeId => Assignee is not null,
        ActionFields.Resolved => Resolved is not null,
        ActionFields.Satisfaction => Satisfaction is not null,
        ActionFields.Comment => !string.IsNullOrWhiteSpace(Comment),
        _ => throw Vocabulary.Unknown("action fields", field),
    };

    /// <summary>The phone answer (回访), when both of its required parts were given.</summary>
    public Evaluation? Evaluation => Resolved is { } resolved && Satisfaction is { } satisfaction
        ? new Evaluation(resolved, satisfaction, string.IsNullOrWhiteSpace(Comment) ? null : Comment, ByPhone: true)
        : null;
}

/// <summary>
/// The state machine of the response chain: which action is allowed for which role in which status, and what
/// it changes. Pure: time and the calendar come in, the next state and its timeline events come out.
/// </summary>
public static class ComplaintMachine
{
    public static readonly TimeSpan EvaluationWindow = TimeSpan.FromDays(7);
    public const int ReopensBeforeDispatchCenter = 2;

    private static readonly string[] HandlingRoles = [StaffRoles.Community, StaffRoles.Street, StaffRoles.Department, StaffRoles.Dispatcher, StaffRoles.Admin];
    private static readonly string[] UnitRoles = [StaffRoles.Community, StaffRoles.Street, StaffRoles.Department];
    private static readonly string[] CenterRoles = [StaffRoles.Dispatcher, StaffRoles.Admin];
    // A volunteer records reports and follows them; acting on a case is for the units.
    private static readonly string[] ActingRoles = [.. StaffRoles.All.Where(r => r != StaffRoles.Volunteer)];

    /// <summary>The roles that may ever perform each staff action; anyone else gets 403.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedRoles = new Dictionary<string, string[]>
    {
        [ComplaintActions.Accept] = HandlingRoles,
        [ComplaintActions.Start] = HandlingRoles,
        [ComplaintActions.Escalate] = [StaffRoles.Community, StaffRoles.Street],
        [ComplaintActions.Dispatch] = CenterRoles,
        [ComplaintActions.Return] = UnitRoles,
        [ComplaintActions.RequestExtension] = UnitRoles,
        [ComplaintActions.ApproveExtension] = CenterRoles,
        [ComplaintActions.DenyExtension] = CenterRoles,
        [ComplaintActions.Resolve] = HandlingRoles,
        [ComplaintActions.Reject] = HandlingRoles,
        [ComplaintActions.Note] = ActingRoles,
        [ComplaintActions.Reply] = HandlingRoles,
        [ComplaintActions.Supervise] = CenterRoles,
        [ComplaintActions.Assign] = [StaffRoles.Community],
        [ComplaintActions.Whistle] = [StaffRoles.Community, StaffRoles.Street],
        [ComplaintActions.EvaluateByPhone] = HandlingRoles,
        [ComplaintActions.ContentReviewed] = CenterRoles,
        // 办结公示 is the district's promise: the center or the unit that handled the case may withdraw it, saying why.
        [ComplaintActions.Unpublish] = HandlingRoles,
        // 改派/收回: the center takes a case back from whichever unit holds it.
        [ComplaintActions.Reassign] = CenterRoles,
    };

    private static ActionFieldSet Needs(params string[] required) => new(required, []);

    /// <summary>
    /// What each action's request needs and takes, declared once: the machine refuses a request by it, allowedActions
    /// lists it, and the spec's request body of each action is made from it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, ActionFieldSet> Fields = new Dictionary<string, ActionFieldSet>
    {
        [ComplaintActions.Accept] = Needs(),
        [ComplaintActions.Start] = Needs(),
        [ComplaintActions.Escalate] = Needs(ActionFields.Reason),
        [ComplaintActions.Dispatch] = new([ActionFields.Target], [ActionFields.Note]),
        [ComplaintActions.Return] = Needs(ActionFields.Reason),
        [ComplaintActions.RequestExtension] = Needs(ActionFields.Reason, ActionFields.NewDueAt),
        [ComplaintActions.ApproveExtension] = new([], [ActionFields.Note]),
        [ComplaintActions.DenyExtension] = new([], [ActionFields.Note]),
        [ComplaintActions.Resolve] = new([ActionFields.Reply], [ActionFields.PhotoIds, ActionFields.Note]),
        [ComplaintActions.Reject] = Needs(ActionFields.Reason),
        [ComplaintActions.Note] = Needs(ActionFields.Note),
        [ComplaintActions.Reply] = new([ActionFields.Reply], [ActionFields.PhotoIds]),
        [ComplaintActions.Supervise] = new([], [ActionFields.Note]),
        [ComplaintActions.Assign] = new([ActionFields.AssigneeId], [ActionFields.Note]),
        [ComplaintActions.Whistle] = Needs(ActionFields.Reason, ActionFields.Target),
        [ComplaintActions.EvaluateByPhone] = new([ActionFields.Resolved, ActionFields.Satisfaction], [ActionFields.Comment]),
        [ComplaintActions.ContentReviewed] = new([], [ActionFields.Note]),
        [ComplaintActions.Unpublish] = Needs(ActionFields.Reason),
        // Without a target the case comes back to the center (收回); one the center holds already can only go somewhere.
        [ComplaintActions.Reassign] = new([ActionFields.Reason], [ActionFields.Target]),
    };

    /// <summary>The fields of <paramref name="action"/> on this case: a category may require a resolution photo (办结照片).</summary>
    public static ActionFieldSet FieldsFor(string action, Complaint c) => (action, Fields[action]) switch
    {
        (ComplaintActions.Resolve, var fields) when c.CategoryRequiresResolutionPhoto => fields.Requiring(ActionFields.PhotoIds),
        (ComplaintActions.Reassign, var fields) when c.HandlingLevel == HandlingLevel.District => fields.Requiring(ActionFields.Target),
        (_, var fields) => fields,
    };

    /// <summary>
    /// What this staff member may do on this case now: each action the machine itself accepts, asked with a request that
    /// carries every field the action takes (so only who acts, on what and when, decides), with the fields it needs.
    /// </summary>
    public static IReadOnlyList<AllowedAction> AllowedActions(StaffMember staff, Complaint c, DateTime now) =>
        ComplaintActions.All
            .Where(action => AllowedRoles[action].Contains(staff.Role))
            // The calendar only dates the next state; it never decides whether an action is accepted.
            .Where(action => Apply(c, action, staff, Probe(FieldsFor(action, c)), now, WorkingCalendar.WeekdaysOnly).Refusal is null)
            .Select(action => FieldsFor(action, c) is var fields ? new AllowedAction(action, fields.Required, fields.Optional) : null!)
            .ToList();

    private static ActionInput Probe(ActionFieldSet fields)
    {
        var given = fields.All.ToHashSet();
        const string Text = "-";
        return new ActionInput(
            given.Contains(ActionFields.Reason) ? Text : null, given.Contains(ActionFields.Reply) ? Text : null, given.Contains(ActionFields.Note) ? Text : null,
            given.Contains(ActionFields.NewDueAt) ? DateTime.MaxValue : null,
            given.Contains(ActionFields.Target) ? new DispatchTarget(HandlingLevel.Department, 0, Text) : null,
            given.Contains(ActionFields.PhotoIds) ? [Text] : null, given.Contains(ActionFields.AssigneeId) ? new AssigneeTarget(0, Text) : null,
            given.Contains(ActionFields.Resolved) ? true : null, given.Contains(ActionFields.Satisfaction) ? Satisfaction.Satisfied : null,
            given.Contains(ActionFields.Comment) ? Text : null);
    }

    /// <summary>
    /// Every field of the request refused at once, each under its JSON name: a required one missing, or one given wrong.
    /// 422 when the only fault is a photo (a resolution photo missing, or photos on an action that takes none), else 400.
    /// </summary>
    private static Decision? Check(string action, Complaint c, ActionInput input, DateTime now)
    {
        var fields = FieldsFor(action, c);
        var errors = new Dictionary<string, string[]>();
        foreach (var field in fields.Required.Where(f => !input.Has(f)))
        {
            errors[field] = [(action, field) switch
            {
                (_, ActionFields.PhotoIds) => Messages.PhotoResolutionPhotoRequired,
                (ComplaintActions.Whistle, ActionFields.Target) => Messages.FieldWhistleTarget,
                (_, ActionFields.Target) => Messages.FieldDispatchCode,
                (_, ActionFields.AssigneeId) => Messages.FieldAssignee,
                (_, ActionFields.Resolved or ActionFields.Satisfaction) => Messages.FieldPhoneEvaluation,
                _ => Text.Format(Messages.FieldRequiredForAction, field),
            }];
        }
        if (input.Has(ActionFields.PhotoIds) && !fields.All.Contains(ActionFields.PhotoIds))
        {
            errors[ActionFields.PhotoIds] = [Messages.PhotoPhotosNotForAction];
        }
        if (fields.All.Contains(ActionFields.NewDueAt) && input.NewDueAt is { } until && until <= (c.ResolutionDueAt ?? now))
        {
            errors[ActionFields.NewDueAt] = [Messages.FieldNewDueAt];
        }
        if (action == ComplaintActions.Whistle && input.Target is { Level: not HandlingLevel.Department })
        {
            errors[ActionFields.Target] = [Messages.FieldWhistleTarget];
        }
        if (errors.Count == 0)
        {
            return null;
        }
        var photosOnly = errors.Keys.All(k => k == ActionFields.PhotoIds);
        var code = !photosOnly ? null : input.Has(ActionFields.PhotoIds) ? ProblemCodes.Unprocessable : ProblemCodes.ResolutionPhotoRequired;
        return new Decision(null, new Refusal(photosOnly ? 422 : 400, errors.Values.First()[0], code, errors));
    }

    /// <summary>
    /// Out-of-scope cases do not exist for a staff member (404), exactly like another resident's report. A unit
    /// always sees a case it holds, e.g. one the dispatch center sent to another street than the reporter's.
    /// Communities and streets see every case of their area; a department sees only what it holds now: once it
    /// returned a case, or the dispatch center sent it elsewhere, the case is gone from its view.
    /// </summary>
    public static bool CanSee(StaffMember staff, Complaint c) => staff.Role == StaffRoles.Volunteer
        ? c.RecordedByStaffId == staff.Id
        : IsHandler(staff, c) || staff.Role switch
    {
        StaffRoles.Dispatcher or StaffRoles.Admin => true,
        StaffRoles.Community => c.CommunityId == staff.UnitId && InGrid(staff, c),
        StaffRoles.Street => c.StreetId == staff.UnitId,
        StaffRoles.Department => false,
        _ => throw Vocabulary.Unknown("staff roles", staff.Role),
    };

    /// <summary>The unit that holds the case now; only it acts on it (the dispatch center holds district-level cases).</summary>
    public static bool IsHandler(StaffMember staff, Complaint c) => staff.Role != StaffRoles.Volunteer &&
        (c.HandlingLevel == HandlingLevel.District ? staff.SeesEverything
            : StaffRoles.LevelOf(staff.Role) == c.HandlingLevel && c.HandlingUnitId == staff.UnitId && InGrid(staff, c));

    /// <summary>A grid worker (网格员) works on the cases of their grid and the cases assigned to them; other staff are not limited to a grid.</summary>
    private static bool InGrid(StaffMember staff, Complaint c) =>
        !staff.IsGridWorker || c.GridId == staff.GridId || c.AssignedStaffId == staff.Id;

    public static Decision Apply(Complaint c, string action, StaffMember staff, ActionInput input, DateTime now, WorkingCalendar calendar)
    {
        if (!AllowedRoles.TryGetValue(action, out var roles))
        {
            return Refuse(404, Text.Format(Messages.UnknownAction, action, string.Join(", ", ComplaintActions.All)));
        }
        if (!roles.Contains(staff.Role))
        {
            return Refuse(403, Text.Format(Messages.RoleCannotAct, staff.Role, action));
        }
        if (input.Has(ActionFields.PhotoIds) && !Fields[action].All.Contains(ActionFields.PhotoIds))
        {
            return new Decision(null, new Refusal(422, Messages.PhotoPhotosNotForAction, ProblemCodes.Unprocessable,
                new Dictionary<string, string[]> { [ActionFields.PhotoIds] = [Messages.PhotoPhotosNotForAction] }));
        }
        if (action is ComplaintActions.Note)
        {
            return Check(action, c, input, now) ?? Done(c, new ComplaintEvent(EventKinds.Note, input.Note, IsPublic: false, staff.UnitName));
        }
        if (action is ComplaintActions.Supervise)
        {
            return c.IsTerminal ? WrongStatus(c, action)
                : c.IsSupervised ? Refuse(409, Messages.AlreadySupervised)
                : Done(c with { IsSupervised = true }, [new ComplaintEvent(EventKinds.Supervised, null, IsPublic: true, staff.UnitName), .. NoteEvent(input.Note, staff)]);
        }
        if (action is ComplaintActions.ContentReviewed)
        {
            // The dispatch center has read the text WeChat flagged (or could not check): the flags go, the note says what it found.
            return c.ContentReview || c.ContentUnchecked
                ? Done(c with { ContentReview = false, ContentUnchecked = false }, new ComplaintEvent(EventKinds.ContentReviewed, input.Note, IsPublic: false, staff.UnitName))
                : Refuse(409, Messages.NoContentFlag);
        }
        if (action is ComplaintActions.ApproveExtension or ComplaintActions.DenyExtension)
        {
            if (c.Status is not (ComplaintStatus.Accepted or ComplaintStatus.InProgress))
            {
                return WrongStatus(c, action);
            }
            if (c.ExtensionRequestedUntil is not { } requested)
            {
                return Refuse(409, Messages.NoPendingExtension);
            }
            return action == ComplaintActions.ApproveExtension
                ? Done(c with { ResolutionDueAt = requested, ExtensionRequestedUntil = null, IsOverdue = requested < now },
                    [new ComplaintEvent(EventKinds.ExtensionApproved, null, IsPublic: true, staff.UnitName), .. NoteEvent(input.Note, staff)])
                : Done(c with { ExtensionRequestedUntil = null }, new ComplaintEvent(EventKinds.ExtensionDenied, input.Note, IsPublic: false, staff.UnitName));
        }
        if (action is ComplaintActions.Unpublish)
        {
            // Any status: a consented case may be withdrawn before it is resolved, so it never appears at all.
            return !staff.SeesEverything && !IsHandler(staff, c) ? new Decision(null, new Refusal(403, Messages.NotHandlingUnit, ProblemCodes.NotHandlingUnit))
                : Check(action, c, input, now)
                ?? (!c.PublicConsent ? Refuse(409, Messages.UnpublishNoConsent)
                    : c.Unpublished ? Refuse(409, Messages.UnpublishAlready)
                    : Done(c with { Unpublished = true }, new ComplaintEvent(EventKinds.Unpublished, input.Reason, IsPublic: false, staff.UnitName)));
        }
        // The dispatch center sees every whistle and may redirect one its department has not reported to yet; it takes a
        // case back from any unit (reassign), and calls back the resident of any case it did not handle itself (回访).
        var redirect = (action is ComplaintActions.Dispatch && staff.SeesEverything && c.WhistlePending)
            || action is ComplaintActions.Reassign || (action is ComplaintActions.EvaluateByPhone && staff.SeesEverything);
        if (!IsHandler(staff, c) && !redirect)
        {
            return c.IsTerminal ? WrongStatus(c, action)
                : Refuse(409, Text.Format(Messages.NotYourLevel, Text.Level(c.HandlingLevel), staff.UnitName));
        }
        return action switch
        {
            ComplaintActions.Accept => c.Status != ComplaintStatus.Submitted ? WrongStatus(c, action)
                : Done(c with
                {
                    Status = ComplaintStatus.Accepted,
                    AcceptedAt = now,
                    ResolutionDueAt = calendar.AddWorkingDays(c.ReceivedAt, c.ResolutionWorkingDays),
                    IsOverdue = calendar.AddWorkingDays(c.ReceivedAt, c.ResolutionWorkingDays) < now,
                    WhistlePending = false,
                }, [new ComplaintEvent(EventKinds.Accepted, null, IsPublic: true, staff.UnitName), .. ReportEvent(c, now, staff)]),
            ComplaintActions.Start => c.Status != ComplaintStatus.Accepted ? WrongStatus(c, action)
                : Done(c with { Status = ComplaintStatus.InProgress }, new ComplaintEvent(EventKinds.Started, null, IsPublic: true, staff.UnitName)),
            ComplaintActions.Escalate => Check(action, c, input, now)
                ?? (!IsOpen(c) ? WrongStatus(c, action)
                    : c.HandlingLevel == HandlingLevel.Community
                        ? Receive(c, HandlingLevel.Street, c.StreetId, c.StreetName, now,
                            [new ComplaintEvent(EventKinds.Escalated, null, IsPublic: true, staff.UnitName), .. NoteEvent(input.Reason, staff)])
                        : Receive(c, HandlingLevel.District, null, DispatchCenter.Name, now,
                            [new ComplaintEvent(EventKinds.Escalated, null, IsPublic: true, staff.UnitName), .. NoteEvent(input.Reason, staff)])),
            // A case the center accepted is dispatched as well as one waiting for it: the center does not have to return it first.
            ComplaintActions.Dispatch => Check(action, c, input, now) is { } invalid ? invalid
                : input.Target is not { } target || !IsOpen(c) ? WrongStatus(c, action)
                : Receive(c with { DepartmentId = target.Level == HandlingLevel.Department ? target.UnitId : c.DepartmentId },
                    target.Level, target.UnitId, target.UnitName, now,
                    [new ComplaintEvent(EventKinds.Dispatched, null, IsPublic: true, staff.UnitName), .. NoteEvent(input.Note, staff)]),
            // The clock keeps running: a return (退单) changes the owner, never the deadlines.
            ComplaintActions.Return => Check(action, c, input, now)
                ?? (!IsOpen(c) ? WrongStatus(c, action)
                    : Done(c with
                    {
                        Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.District, HandlingUnitId = null, AcceptedAt = null,
                        ExtensionRequestedUntil = null, WhistlePending = false,
                    },
                        new ComplaintEvent(EventKinds.Returned, input.Reason, IsPublic: false, staff.UnitName))),
            ComplaintActions.RequestExtension => Check(action, c, input, now)
                ?? (c.Status is not (ComplaintStatus.Accepted or ComplaintStatus.InProgress) ? WrongStatus(c, action)
                    : c.ExtensionRequestedUntil is not null ? Refuse(409, Messages.ExtensionPending)
                    : Done(c with { ExtensionRequestedUntil = input.NewDueAt }, new ComplaintEvent(EventKinds.ExtensionRequested, input.Reason, IsPublic: false, staff.UnitName))),
            ComplaintActions.Resolve => Check(action, c, input, now)
                ?? (c.Status is not (ComplaintStatus.Accepted or ComplaintStatus.InProgress) ? WrongStatus(c, action)
                    : Done(c with
                    {
                        Status = ComplaintStatus.Resolved,
                        ResolvedAt = now,
                        ResolvedWorkingDays = calendar.WorkingDaysBetween(c.SubmittedAt, now),
                        IsOverdue = false,
                        ExtensionRequestedUntil = null,
                        LastHandlingLevel = c.HandlingLevel,
                        LastHandlingUnitId = c.HandlingUnitId,
                    }, [new ComplaintEvent(EventKinds.Resolved, input.Reply, IsPublic: true, staff.UnitName, input.PhotoIds), .. NoteEvent(input.Note, staff)])),
            ComplaintActions.Reject => Check(action, c, input, now)
                ?? (c.Status is not (ComplaintStatus.Submitted or ComplaintStatus.Accepted) ? WrongStatus(c, action)
                    : Done(c with
                    {
                        Status = ComplaintStatus.Rejected, ClosedAt = now, CloseReason = CloseReasons.Rejected, IsOverdue = false,
                        ExtensionRequestedUntil = null, WhistlePending = false,
                    },
                        new ComplaintEvent(EventKinds.Rejected, input.Reason, IsPublic: true, staff.UnitName))),
            ComplaintActions.Assign => Check(action, c, input, now) is { } invalid ? invalid
                : input.Assignee is not { } assignee || !IsOpen(c) ? WrongStatus(c, action)
                : Done(c with { AssignedStaffId = assignee.StaffId, AssignedStaffName = assignee.Name },
                    [new ComplaintEvent(EventKinds.Assigned, $"指派给网格员{assignee.Name}", IsPublic: false, staff.UnitName), .. NoteEvent(input.Note, staff)]),
            // 吹哨报到: straight to a paired department (the caller checked the pairing), skipping the dispatch center.
            ComplaintActions.Whistle => Check(action, c, input, now)
                ?? (input.Target is not { } department || !IsOpen(c) ? WrongStatus(c, action)
                    : c.HandlingLevel is not (HandlingLevel.Community or HandlingLevel.Street) ? Refuse(409, Messages.WhistleOnlyFromCommunityOrStreet)
                    : Pending(Receive(c with { DepartmentId = department.UnitId }, HandlingLevel.Department, department.UnitId, department.UnitName, now,
                        [new ComplaintEvent(EventKinds.Whistled, $"吹哨至{department.UnitName}", IsPublic: true, staff.UnitName), .. NoteEvent(input.Reason, staff)]))),
            // The center calls back any resident (回访); a unit only the resident it recorded the report for.
            ComplaintActions.EvaluateByPhone => !staff.SeesEverything && c.RecordedByStaffId is null ? Refuse(409, Messages.OnlyRecordedByPhone)
                : Check(action, c, input, now) is { } invalid ? invalid
                : input.Evaluation is not { } answer ? WrongStatus(c, action)
                : staff.SeesEverything ? CallBack(c, answer, now, calendar, staff)
                : Evaluate(c, answer.Resolved, answer.Satisfaction, answer.Comment, now, calendar, staff.UnitName),
            ComplaintActions.Reassign => Check(action, c, input, now)
                ?? (!IsOpen(c) ? WrongStatus(c, action)
                    // No target: back to the center (收回).
                    : Receive(input.Target is { Level: HandlingLevel.Department } to ? c with { DepartmentId = to.UnitId } : c,
                        input.Target?.Level ?? HandlingLevel.District, input.Target?.UnitId, input.Target?.UnitName ?? DispatchCenter.Name, now,
                        [new ComplaintEvent(EventKinds.Reassigned, null, IsPublic: true, staff.UnitName), .. NoteEvent(input.Reason, staff)])),
            ComplaintActions.Reply => Check(action, c, input, now)
                ?? (c.IsTerminal ? WrongStatus(c, action) : Done(c, new ComplaintEvent(EventKinds.Replied, input.Reply, IsPublic: true, staff.UnitName, input.PhotoIds))),
            _ => Refuse(404, Text.Format(Messages.UnknownAction, action, string.Join(", ", ComplaintActions.All))),
        };
    }

    /// <summary>The resident rates a resolved case once; "not resolved" or "unsatisfied" reopens it (发回重办).</summary>
    public static Decision Evaluate(Complaint c, bool resolved, string satisfaction, string? comment, DateTime now, WorkingCalendar calendar)
        => Evaluate(c, resolved, satisfaction, comment, now, calendar, byPhoneUnit: null);

    /// <summary>
    /// The rating, from the resident in the mini-program or, for a report recorded on their behalf, taken by phone
    /// (回访) by <paramref name="byPhoneUnit"/>: the same rules either way, only the event kind says how it was taken.
    /// </summary>
    private static Decision Evaluate(Complaint c, bool resolved, string satisfaction, string? comment, DateTime now, WorkingCalendar calendar, string? byPhoneUnit)
    {
        if (c.Status != ComplaintStatus.Resolved)
        {
            return c.Status == ComplaintStatus.Closed
                ? new Decision(null, new Refusal(409, Messages.AlreadyRated, ProblemCodes.AlreadyEvaluated))
                : Refuse(409, Messages.OnlyResolvedRated);
        }
        var rating = byPhoneUnit is null ? new ComplaintEvent(EventKinds.Evaluated, comment, IsPublic: true)
            : new ComplaintEvent(EventKinds.EvaluatedByPhone, comment, IsPublic: true, byPhoneUnit);
        if (resolved && satisfaction != Satisfaction.Unsatisfied)
        {
            return Done(c with { Status = ComplaintStatus.Closed, ClosedAt = now, CloseReason = CloseReasons.Evaluated }, rating, new ComplaintEvent(EventKinds.Closed, null, IsPublic: true, byPhoneUnit));
        }
        var reopens = c.ReopenCount + 1;
        var reopened = c with { ReopenCount = reopens, ResolvedAt = null };
        if (reopens > ReopensBeforeDispatchCenter)
        {
            return Receive(reopened with { IsSupervised = true }, HandlingLevel.District, null, DispatchCenter.Name, now,
                rating, new ComplaintEvent(EventKinds.Reopened, "多次重办，转区调度中心督办", IsPublic: true, byPhoneUnit is null ? null : DispatchCenter.Name));
        }
        var unitName = reopened.LastHandlingLevel == HandlingLevel.District ? DispatchCenter.Name : byPhoneUnit;
        return Done(reopened with
        {
            Status = ComplaintStatus.InProgress,
            HandlingLevel = c.LastHandlingLevel ?? c.HandlingLevel,
            HandlingUnitId = c.LastHandlingUnitId,
            ReceivedAt = now,
            AcceptedAt = now,
            ResolutionDueAt = calendar.AddWorkingDays(now, c.ResolutionWorkingDays),
            IsOverdue = false,
        }, rating, new ComplaintEvent(EventKinds.Reopened, "发回重办", IsPublic: true, unitName));
    }

    /// <summary>
    /// 回访 by the dispatch center, about the unit that resolved the case. Unrated (still resolved, or closed unrated when
    /// the rating window passed), the answer is the rating, with the rating's rules (an unsatisfied one reopens the
    /// case); rated (a sample checked), it stands beside the resident's own rating and changes nothing.
    /// </summary>
    private static Decision CallBack(Complaint c, Evaluation answer, DateTime now, WorkingCalendar calendar, StaffMember staff)
    {
        var rated = c.Status == ComplaintStatus.Resolved || c is { Status: ComplaintStatus.Closed, CloseReason: CloseReasons.NotEvaluated };
        var decision = rated
            ? Evaluate(c with { Status = ComplaintStatus.Resolved }, answer.Resolved, answer.Satisfaction, answer.Comment, now, calendar, staff.UnitName)
            : c is { Status: ComplaintStatus.Closed, CloseReason: CloseReasons.Evaluated }
                ? Done(c, new ComplaintEvent(EventKinds.EvaluatedByPhone, answer.Comment, IsPublic: false, staff.UnitName))
                : WrongStatus(c, ComplaintActions.EvaluateByPhone);
        return decision.Transition is { } t
            ? decision with
            {
                Transition = t with
                {
                    CallBack = new CallBack(c.LastHandlingLevel ?? c.HandlingLevel, c.LastHandlingLevel is null ? c.HandlingUnitId : c.LastHandlingUnitId,
                        answer.Resolved, answer.Satisfaction, answer.Comment, rated),
                },
            }
            : decision;
    }

    /// <summary>催办: at most once a day per case, and only while someone still has to act.</summary>
    public static Decision Urge(Complaint c, DateTime now)
    {
        if (!IsOpen(c))
        {
            return Refuse(409, Messages.OnlyOpenUrged);
        }
        if (c.LastUrgedAt is { } last && now - last < TimeSpan.FromDays(1))
        {
            return Refuse(429, Text.Format(Messages.UrgeTooSoon, Text.Time(last.AddDays(1))));
        }
        return Done(c with { UrgeCount = c.UrgeCount + 1, LastUrgedAt = now }, new ComplaintEvent(EventKinds.Urged, null, IsPublic: true));
    }

    /// <summary>What the deadline sweep does to one case at <paramref name="now"/>; null when nothing is due.</summary>
    public static Transition? Sweep(Complaint c, DateTime now)
    {
        if (c.Status == ComplaintStatus.Submitted && c.ResponseDueAt < now)
        {
            // Nobody accepted in time: a community's case goes to its street, a street's to the dispatch center.
            if (c.HandlingLevel == HandlingLevel.Community)
            {
                return Receive(c, HandlingLevel.Street, c.StreetId, c.StreetName, now, new ComplaintEvent(EventKinds.AutoEscalated, "超时未签收，自动上报街道", IsPublic: true, Actor.SystemName)).Transition;
            }
            if (c.HandlingLevel == HandlingLevel.Street)
            {
                return Receive(c, HandlingLevel.District, null, DispatchCenter.Name, now, new ComplaintEvent(EventKinds.AutoEscalated, "超时未签收，自动上报区调度中心", IsPublic: true, Actor.SystemName)).Transition;
            }
            if (c.HandlingLevel == HandlingLevel.Department && c.WhistlePending)
            {
                // 督办: the paired department did not report in time; the dispatch center takes the case over, supervised.
                return Receive(c with { IsSupervised = true }, HandlingLevel.District, null, DispatchCenter.Name, now,
                    new ComplaintEvent(EventKinds.WhistleOverdue, $"{c.HandlingUnitName}超时未报到，转区调度中心督办", IsPublic: true, Actor.SystemName)).Transition;
            }
            return c.IsOverdue ? null : Done(c with { IsOverdue = true }, new ComplaintEvent(EventKinds.Overdue, "超时未签收", IsPublic: false, Actor.SystemName)).Transition;
        }
        if (c.Status is ComplaintStatus.Accepted or ComplaintStatus.InProgress && c.ResolutionDueAt < now && !c.IsOverdue)
        {
            return Done(c with { IsOverdue = true }, new ComplaintEvent(EventKinds.Overdue, "超过办理时限", IsPublic: false, Actor.SystemName)).Transition;
        }
        if (c.Status == ComplaintStatus.Resolved && c.ResolvedAt + EvaluationWindow < now)
        {
            // Never counted as satisfied: the close reason says the resident did not rate it.
            return Done(c with { Status = ComplaintStatus.Closed, ClosedAt = now, CloseReason = CloseReasons.NotEvaluated },
                new ComplaintEvent(EventKinds.Closed, "7 日内未评价，自动归档（不计入满意）", IsPublic: true, Actor.SystemName)).Transition;
        }
        return null;
    }

    private static bool IsOpen(Complaint c) => c.Status is ComplaintStatus.Submitted or ComplaintStatus.Accepted or ComplaintStatus.InProgress;

    /// <summary>A unit receives the case: its clocks start now, and it has to accept it within the response time.</summary>
    private static Decision Receive(Complaint c, string level, long? unitId, string unitName, DateTime now, params ComplaintEvent[] events) =>
        Done(c with
        {
            Status = ComplaintStatus.Submitted,
            HandlingLevel = level,
            HandlingUnitId = unitId,
            ReceivedAt = now,
            ResponseDueAt = now.AddHours(c.ResponseHours),
            AcceptedAt = null,
            ResolutionDueAt = null,
            IsOverdue = false,
            ExtensionRequestedUntil = null,
            WhistlePending = false,
            AssignedStaffId = null,
            AssignedStaffName = null,
        }, [.. events.Select(e => e.Kind is EventKinds.Escalated or EventKinds.Dispatched or EventKinds.AutoEscalated or EventKinds.Reassigned && e.Note is null ? e with { Note = $"转至{unitName}" } : e),
            new ComplaintEvent(EventKinds.Received, null, IsPublic: true, unitName)]);

    // The resident sees public events: their text is only ever a reply or a rejection's reason. Whatever else staff
    // write (notes, escalation reasons, dispatch and supervision remarks) goes on the timeline as an internal note.
    private static IEnumerable<ComplaintEvent> NoteEvent(string? note, StaffMember staff) =>
        string.IsNullOrWhiteSpace(note) ? [] : [new ComplaintEvent(EventKinds.Note, note, IsPublic: false, staff.UnitName)];

    /// <summary>A whistle waits for its department to report (报到): set after <see cref="Receive"/>, which clears it for every other move.</summary>
    private static Decision Pending(Decision received) =>
        received.Transition is { } t ? received with { Transition = t with { Next = t.Next with { WhistlePending = true } } } : received;

    /// <summary>A department accepting a whistled case reports (报到): on time within its response hours, or late.</summary>
    private static IEnumerable<ComplaintEvent> ReportEvent(Complaint c, DateTime now, StaffMember staff) =>
        !c.WhistlePending ? []
            : [new ComplaintEvent(now <= c.ResponseDueAt ? EventKinds.Reported : EventKinds.ReportedLate, null, IsPublic: true, staff.UnitName)];

    private static Decision WrongStatus(Complaint c, string action) =>
        Refuse(409, Text.Format(Messages.InvalidStateForAction, action, c.Status, ComplaintStatus.Labels[c.Status]));

    private static Decision Refuse(int status, string detail) => new(null, new Refusal(status, detail));

    private static Decision Done(Complaint next, params ComplaintEvent[] events) => new(new Transition(next, events), null);
}

public static class Satisfaction
{
    public const string Satisfied = "satisfied";
    public const string BasicallySatisfied = "basically_satisfied";
    public const string Unsatisfied = "unsatisfied";
    public static readonly string[] All = [Satisfied, BasicallySatisfied, Unsatisfied];

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Satisfied] = "满意",
        [BasicallySatisfied] = "基本满意",
        [Unsatisfied] = "不满意",
    };
}

/// <summary>Either the transition or the reason it is refused.</summary>
public sealed record Decision(Transition? Transition, Refusal? Refusal);
