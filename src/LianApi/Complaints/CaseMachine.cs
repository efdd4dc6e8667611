using LianApi.Calendar;
using LianApi.Staff;

namespace LianApi.Complaints;

/// <summary>The mutable facts of a case; a transition turns one into the next, the store writes it guarded by Version.</summary>
public sealed record CaseState
{
    public long Id { get; init; }
    public string TrackingNo { get; init; } = "";
    public int Version { get; init; }
    public long UserId { get; init; }
    public long CommunityId { get; init; }
    public long StreetId { get; init; }
    public string CommunityName { get; init; } = "";
    public string StreetName { get; init; } = "";
    public int ResponseHours { get; init; }
    public int ResolutionWorkingDays { get; init; }
    public string Status { get; init; } = "";
    public string HandlingLevel { get; init; } = "";
    public long? HandlingUnitId { get; init; }
    public long? DepartmentId { get; init; }
    public DateTime ReceivedAt { get; init; }
    public DateTime ResponseDueAt { get; init; }
    public DateTime? AcceptedAt { get; init; }
    public DateTime? ResolutionDueAt { get; init; }
    public bool IsOverdue { get; init; }
    public bool IsSupervised { get; init; }
    public int UrgeCount { get; init; }
    public DateTime? LastUrgedAt { get; init; }
    public DateTime? ExtensionRequestedUntil { get; init; }
    public int ReopenCount { get; init; }
    public string? LastHandlingLevel { get; init; }
    public long? LastHandlingUnitId { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public DateTime? ClosedAt { get; init; }
    public string? CloseReason { get; init; }

    public bool IsTerminal => Status is ComplaintStatus.Closed or ComplaintStatus.Rejected;

    /// <summary>The deadline that matters now: accepting while submitted, resolving while being handled.</summary>
    public DateTime? DueAt => Status switch
    {
        ComplaintStatus.Submitted => ResponseDueAt,
        ComplaintStatus.Accepted or ComplaintStatus.InProgress => ResolutionDueAt,
        _ => null,
    };

    /// <summary>Inbox order: overdue first, then supervised (督办), then urged (催办).</summary>
    public int Priority => (IsOverdue ? 4 : 0) + (IsSupervised ? 2 : 0) + (UrgeCount > 0 ? 1 : 0);
}

/// <summary>Who acts: a staff member, the resident who filed the case, or the deadline sweep.</summary>
public sealed record Actor(StaffMember? Staff, long? UserId, string? UnitName)
{
    public static Actor System { get; } = new(null, null, "系统");
    public static Actor ForStaff(StaffMember staff) => new(staff, staff.UserId, staff.UnitName);
    public static Actor Resident(long userId) => new(null, userId, null);
}

public sealed record CaseEvent(string Kind, string? Note, bool IsPublic, string? UnitName = null);

/// <summary>A refused action: the status code says why (403 never allowed for the role, 409 not now, 400/422 bad input).</summary>
public sealed record CaseRefusal(int StatusCode, string Detail);

public sealed record Transition(CaseState Next, IReadOnlyList<CaseEvent> Events);

public static class CaseActions
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

    public static readonly string[] StaffActions =
        [Accept, Start, Escalate, Dispatch, Return, RequestExtension, ApproveExtension, DenyExtension, Resolve, Reject, Note, Reply, Supervise];
}

/// <summary>The target of a dispatch (派单), resolved from its code by the caller.</summary>
public sealed record DispatchTarget(string Level, long UnitId, string UnitName);

/// <summary>What a staff action carries besides its name.</summary>
public sealed record ActionInput(string? Reason = null, string? Reply = null, string? Note = null, DateTime? NewDueAt = null, DispatchTarget? Target = null);

/// <summary>
/// The state machine of the response chain: which action is allowed for which role in which status, and what
/// it changes. Pure: time and the calendar come in, the next state and its timeline events come out.
/// </summary>
public static class CaseMachine
{
    public static readonly TimeSpan EvaluationWindow = TimeSpan.FromDays(7);
    public const int ReopensBeforeDispatchCenter = 2;

    private static readonly string[] HandlingRoles = [StaffRoles.Community, StaffRoles.Street, StaffRoles.Department, StaffRoles.Dispatcher, StaffRoles.Admin];
    private static readonly string[] UnitRoles = [StaffRoles.Community, StaffRoles.Street, StaffRoles.Department];
    private static readonly string[] CenterRoles = [StaffRoles.Dispatcher, StaffRoles.Admin];

    /// <summary>The roles that may ever perform each staff action; anyone else gets 403.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedRoles = new Dictionary<string, string[]>
    {
        [CaseActions.Accept] = HandlingRoles,
        [CaseActions.Start] = HandlingRoles,
        [CaseActions.Escalate] = [StaffRoles.Community, StaffRoles.Street],
        [CaseActions.Dispatch] = CenterRoles,
        [CaseActions.Return] = UnitRoles,
        [CaseActions.RequestExtension] = UnitRoles,
        [CaseActions.ApproveExtension] = CenterRoles,
        [CaseActions.DenyExtension] = CenterRoles,
        [CaseActions.Resolve] = HandlingRoles,
        [CaseActions.Reject] = HandlingRoles,
        [CaseActions.Note] = StaffRoles.All,
        [CaseActions.Reply] = HandlingRoles,
        [CaseActions.Supervise] = CenterRoles,
    };

    /// <summary>
    /// Out-of-scope cases do not exist for a staff member (404), exactly like another resident's report. A unit
    /// always sees a case it holds, e.g. one the dispatch center sent to another street than the reporter's.
    /// </summary>
    public static bool CanSee(StaffMember staff, CaseState c) => IsHandler(staff, c) || staff.Role switch
    {
        StaffRoles.Dispatcher or StaffRoles.Admin => true,
        StaffRoles.Community => c.CommunityId == staff.UnitId,
        StaffRoles.Street => c.StreetId == staff.UnitId,
        StaffRoles.Department => c.DepartmentId == staff.UnitId,
        _ => false,
    };

    /// <summary>The unit that holds the case now; only it acts on it (the dispatch center holds district-level cases).</summary>
    public static bool IsHandler(StaffMember staff, CaseState c) =>
        c.HandlingLevel == HandlingLevel.District ? staff.SeesEverything
            : StaffRoles.LevelOf(staff.Role) == c.HandlingLevel && c.HandlingUnitId == staff.UnitId;

    public static CaseDecision Apply(CaseState c, string action, StaffMember staff, ActionInput input, DateTime now, WorkingCalendar calendar)
    {
        if (!AllowedRoles.TryGetValue(action, out var roles))
        {
            return Refuse(404, $"Unknown action '{action}'. Use one of: {string.Join(", ", CaseActions.StaffActions)}.");
        }
        if (!roles.Contains(staff.Role))
        {
            return Refuse(403, $"A {staff.Role} account cannot {action} cases.");
        }
        if (action is CaseActions.Note)
        {
            return Require(input.Note, "note") ?? Done(c, new CaseEvent("note", input.Note, IsPublic: false, staff.UnitName));
        }
        if (action is CaseActions.Supervise)
        {
            return c.IsTerminal ? WrongStatus(c, action)
                : c.IsSupervised ? Refuse(409, "The case is already supervised (督办).")
                : Done(c with { IsSupervised = true }, new CaseEvent("supervised", input.Note, IsPublic: true, staff.UnitName));
        }
        if (action is CaseActions.ApproveExtension or CaseActions.DenyExtension)
        {
            if (c.Status is not (ComplaintStatus.Accepted or ComplaintStatus.InProgress))
            {
                return WrongStatus(c, action);
            }
            if (c.ExtensionRequestedUntil is not { } requested)
            {
                return Refuse(409, "There is no pending extension request.");
            }
            return action == CaseActions.ApproveExtension
                ? Done(c with { ResolutionDueAt = requested, ExtensionRequestedUntil = null, IsOverdue = requested < now },
                    new CaseEvent("extension_approved", input.Note, IsPublic: true, staff.UnitName))
                : Done(c with { ExtensionRequestedUntil = null }, new CaseEvent("extension_denied", input.Note, IsPublic: false, staff.UnitName));
        }
        if (!IsHandler(staff, c))
        {
            return c.IsTerminal ? WrongStatus(c, action)
                : Refuse(409, $"The case is now handled at the {c.HandlingLevel} level, not by {staff.UnitName}.");
        }
        return action switch
        {
            CaseActions.Accept => c.Status != ComplaintStatus.Submitted ? WrongStatus(c, action)
                : Done(c with
                {
                    Status = ComplaintStatus.Accepted,
                    AcceptedAt = now,
                    ResolutionDueAt = calendar.AddWorkingDays(c.ReceivedAt, c.ResolutionWorkingDays),
                    IsOverdue = calendar.AddWorkingDays(c.ReceivedAt, c.ResolutionWorkingDays) < now,
                }, new CaseEvent("accepted", null, IsPublic: true, staff.UnitName)),
            CaseActions.Start => c.Status != ComplaintStatus.Accepted ? WrongStatus(c, action)
                : Done(c with { Status = ComplaintStatus.InProgress }, new CaseEvent("started", null, IsPublic: true, staff.UnitName)),
            CaseActions.Escalate => Require(input.Reason, "reason")
                ?? (!IsOpen(c) ? WrongStatus(c, action)
                    : c.HandlingLevel == HandlingLevel.Community
                        ? Receive(c, HandlingLevel.Street, c.StreetId, c.StreetName, now, new CaseEvent("escalated", input.Reason, IsPublic: true, staff.UnitName))
                        : Receive(c, HandlingLevel.District, null, "区调度中心", now, new CaseEvent("escalated", input.Reason, IsPublic: true, staff.UnitName))),
            CaseActions.Dispatch => input.Target is not { } target ? Refuse(400, "Give the code of the department, street or community to dispatch to.")
                : c.Status != ComplaintStatus.Submitted ? WrongStatus(c, action)
                : Receive(c with { DepartmentId = target.Level == HandlingLevel.Department ? target.UnitId : c.DepartmentId },
                    target.Level, target.UnitId, target.UnitName, now, new CaseEvent("dispatched", input.Note, IsPublic: true, staff.UnitName)),
            // The clock keeps running: a return (退单) changes the owner, never the deadlines.
            CaseActions.Return => Require(input.Reason, "reason")
                ?? (!IsOpen(c) ? WrongStatus(c, action)
                    : Done(c with { Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.District, HandlingUnitId = null, AcceptedAt = null, ExtensionRequestedUntil = null },
                        new CaseEvent("returned", input.Reason, IsPublic: false, staff.UnitName))),
            CaseActions.RequestExtension => Require(input.Reason, "reason")
                ?? (c.Status is not (ComplaintStatus.Accepted or ComplaintStatus.InProgress) ? WrongStatus(c, action)
                    : c.ExtensionRequestedUntil is not null ? Refuse(409, "An extension request is already pending.")
                    : input.NewDueAt is not { } until || until <= (c.ResolutionDueAt ?? now) ? Refuse(400, "newDueAt must be later than the current deadline.")
                    : Done(c with { ExtensionRequestedUntil = until }, new CaseEvent("extension_requested", input.Reason, IsPublic: false, staff.UnitName))),
            CaseActions.Resolve => Require(input.Reply, "reply")
                ?? (c.Status is not (ComplaintStatus.Accepted or ComplaintStatus.InProgress) ? WrongStatus(c, action)
                    : Done(c with
                    {
                        Status = ComplaintStatus.Resolved,
                        ResolvedAt = now,
                        IsOverdue = false,
                        ExtensionRequestedUntil = null,
                        LastHandlingLevel = c.HandlingLevel,
                        LastHandlingUnitId = c.HandlingUnitId,
                    }, [new CaseEvent("resolved", input.Reply, IsPublic: true, staff.UnitName), .. NoteEvent(input.Note, staff)])),
            CaseActions.Reject => Require(input.Reason, "reason")
                ?? (c.Status is not (ComplaintStatus.Submitted or ComplaintStatus.Accepted) ? WrongStatus(c, action)
                    : Done(c with { Status = ComplaintStatus.Rejected, ClosedAt = now, CloseReason = "rejected", IsOverdue = false, ExtensionRequestedUntil = null },
                        new CaseEvent("rejected", input.Reason, IsPublic: true, staff.UnitName))),
            CaseActions.Reply => Require(input.Reply, "reply")
                ?? (c.IsTerminal ? WrongStatus(c, action) : Done(c, new CaseEvent("replied", input.Reply, IsPublic: true, staff.UnitName))),
            _ => Refuse(404, $"Unknown action '{action}'."),
        };
    }

    /// <summary>The resident rates a resolved case once; "not resolved" or "unsatisfied" reopens it (发回重办).</summary>
    public static CaseDecision Evaluate(CaseState c, bool resolved, string satisfaction, string? comment, DateTime now, WorkingCalendar calendar)
    {
        if (c.Status != ComplaintStatus.Resolved)
        {
            return Refuse(409, c.Status == ComplaintStatus.Closed
                ? "This report is closed and has already been rated."
                : "Only a resolved report can be rated.");
        }
        var rating = new CaseEvent("evaluated", comment, IsPublic: true);
        if (resolved && satisfaction != Satisfaction.Unsatisfied)
        {
            return Done(c with { Status = ComplaintStatus.Closed, ClosedAt = now, CloseReason = "evaluated" }, rating, new CaseEvent("closed", null, IsPublic: true));
        }
        var reopens = c.ReopenCount + 1;
        var reopened = c with { ReopenCount = reopens, ResolvedAt = null };
        if (reopens > ReopensBeforeDispatchCenter)
        {
            return Receive(reopened with { IsSupervised = true }, HandlingLevel.District, null, "区调度中心", now,
                rating, new CaseEvent("reopened", "多次重办，转区调度中心督办", IsPublic: true));
        }
        var unitName = reopened.LastHandlingLevel == HandlingLevel.District ? "区调度中心" : null;
        return Done(reopened with
        {
            Status = ComplaintStatus.InProgress,
            HandlingLevel = c.LastHandlingLevel ?? c.HandlingLevel,
            HandlingUnitId = c.LastHandlingUnitId,
            ReceivedAt = now,
            AcceptedAt = now,
            ResolutionDueAt = calendar.AddWorkingDays(now, c.ResolutionWorkingDays),
            IsOverdue = false,
        }, rating, new CaseEvent("reopened", "发回重办", IsPublic: true, unitName));
    }

    /// <summary>催办: at most once a day per case, and only while someone still has to act.</summary>
    public static CaseDecision Urge(CaseState c, DateTime now)
    {
        if (!IsOpen(c))
        {
            return Refuse(409, "Only a report that is still being handled can be urged.");
        }
        if (c.LastUrgedAt is { } last && now - last < TimeSpan.FromDays(1))
        {
            return Refuse(429, $"You already urged this report; you can urge it again after {last.AddDays(1):yyyy-MM-dd HH:mm} UTC.");
        }
        return Done(c with { UrgeCount = c.UrgeCount + 1, LastUrgedAt = now }, new CaseEvent("urged", null, IsPublic: true));
    }

    /// <summary>What the deadline sweep does to one case at <paramref name="now"/>; null when nothing is due.</summary>
    public static Transition? Sweep(CaseState c, DateTime now)
    {
        if (c.Status == ComplaintStatus.Submitted && c.ResponseDueAt < now)
        {
            // Nobody accepted in time: a community's case goes to its street, a street's to the dispatch center.
            if (c.HandlingLevel == HandlingLevel.Community)
            {
                return Receive(c, HandlingLevel.Street, c.StreetId, c.StreetName, now, new CaseEvent("auto_escalated", "超时未签收，自动上报街道", IsPublic: true, "系统")).Transition;
            }
            if (c.HandlingLevel == HandlingLevel.Street)
            {
                return Receive(c, HandlingLevel.District, null, "区调度中心", now, new CaseEvent("auto_escalated", "超时未签收，自动上报区调度中心", IsPublic: true, "系统")).Transition;
            }
            return c.IsOverdue ? null : Done(c with { IsOverdue = true }, new CaseEvent("overdue", "超时未签收", IsPublic: false, "系统")).Transition;
        }
        if (c.Status is ComplaintStatus.Accepted or ComplaintStatus.InProgress && c.ResolutionDueAt < now && !c.IsOverdue)
        {
            return Done(c with { IsOverdue = true }, new CaseEvent("overdue", "超过办理时限", IsPublic: false, "系统")).Transition;
        }
        if (c.Status == ComplaintStatus.Resolved && c.ResolvedAt + EvaluationWindow < now)
        {
            // Never counted as satisfied: the close reason says the resident did not rate it.
            return Done(c with { Status = ComplaintStatus.Closed, ClosedAt = now, CloseReason = "not_evaluated" },
                new CaseEvent("closed", "7 日内未评价，自动归档（不计入满意）", IsPublic: true, "系统")).Transition;
        }
        return null;
    }

    private static bool IsOpen(CaseState c) => c.Status is ComplaintStatus.Submitted or ComplaintStatus.Accepted or ComplaintStatus.InProgress;

    /// <summary>A unit receives the case: its clocks start now, and it has to accept it within the response time.</summary>
    private static CaseDecision Receive(CaseState c, string level, long? unitId, string unitName, DateTime now, params CaseEvent[] events) =>
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
        }, [.. events.Select(e => e.Kind is "escalated" or "dispatched" or "auto_escalated" && e.Note is null ? e with { Note = $"转至{unitName}" } : e),
            new CaseEvent("received", null, IsPublic: true, unitName)]);

    private static IEnumerable<CaseEvent> NoteEvent(string? note, StaffMember staff) =>
        string.IsNullOrWhiteSpace(note) ? [] : [new CaseEvent("note", note, IsPublic: false, staff.UnitName)];

    private static CaseDecision? Require(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? Refuse(400, $"'{field}' is required for this action.") : null;

    private static CaseDecision WrongStatus(CaseState c, string action) =>
        Refuse(409, $"Cannot {action} a case that is {c.Status} ({ComplaintStatus.Labels[c.Status]}).");

    private static CaseDecision Refuse(int status, string detail) => new(null, new CaseRefusal(status, detail));

    private static CaseDecision Done(CaseState next, params CaseEvent[] events) => new(new Transition(next, events), null);
}

public static class Satisfaction
{
    public const string Satisfied = "satisfied";
    public const string BasicallySatisfied = "basically_satisfied";
    public const string Unsatisfied = "unsatisfied";
    public static readonly string[] All = [Satisfied, BasicallySatisfied, Unsatisfied];
}

/// <summary>Either the transition or the reason it is refused.</summary>
public sealed record CaseDecision(Transition? Transition, CaseRefusal? Refusal);
