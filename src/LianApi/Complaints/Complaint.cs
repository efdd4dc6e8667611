using System.ComponentModel;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Shared;

namespace LianApi.Complaints;

public static class ComplaintStatus
{
    public const string Submitted = "submitted";
    public const string Accepted = "accepted";
    public const string InProgress = "in_progress";
    public const string Resolved = "resolved";
    public const string Closed = "closed";
    public const string Rejected = "rejected";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Submitted] = "待受理",
        [Accepted] = "已受理",
        [InProgress] = "处理中",
        [Resolved] = "已办结",
        [Closed] = "已归档",
        [Rejected] = "不予受理",
    };

    public static bool IsKnown(string status) => Labels.ContainsKey(status);
}

/// <summary>The kinds of timeline events; statistics and the sweep count by these, so they are facts, not strings.</summary>
public static class EventKinds
{
    public const string Submitted = "submitted";
    public const string Accepted = "accepted";
    public const string Started = "started";
    public const string Escalated = "escalated";
    public const string AutoEscalated = "auto_escalated";
    public const string Dispatched = "dispatched";
    public const string Received = "received";
    public const string Returned = "returned";
    public const string ExtensionRequested = "extension_requested";
    public const string ExtensionApproved = "extension_approved";
    public const string ExtensionDenied = "extension_denied";
    public const string Resolved = "resolved";
    public const string Rejected = "rejected";
    public const string Note = "note";
    public const string Replied = "replied";
    public const string Supervised = "supervised";
    public const string Overdue = "overdue";
    public const string Evaluated = "evaluated";
    public const string Reopened = "reopened";
    public const string Closed = "closed";
    public const string Urged = "urged";
    public const string Whistled = "whistled";
    public const string Reported = "reported";
    public const string ReportedLate = "reported_late";
    public const string WhistleOverdue = "whistle_overdue";
    public const string Assigned = "assigned";
    public const string EvaluatedByPhone = "evaluated_by_phone";
    public const string ContentChecked = "content_checked";
    public const string ContentReviewed = "content_reviewed";
    public const string Unpublished = "unpublished";

    /// <summary>What each kind says to a person reading the timeline.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Submitted] = "已提交",
        [Accepted] = "已受理",
        [Started] = "开始办理",
        [Escalated] = "已上报",
        [AutoEscalated] = "超时自动上报",
        [Dispatched] = "已派单",
        [Received] = "已接收",
        [Returned] = "已退单",
        [ExtensionRequested] = "申请延期",
        [ExtensionApproved] = "延期已批准",
        [ExtensionDenied] = "延期未批准",
        [Resolved] = "已办结",
        [Rejected] = "不予受理",
        [Note] = "内部备注",
        [Replied] = "已回复",
        [Supervised] = "已督办",
        [Overdue] = "已超时",
        [Evaluated] = "已评价",
        [Reopened] = "发回重办",
        [Closed] = "已归档",
        [Urged] = "已催办",
        [Whistled] = "已吹哨",
        [Reported] = "部门已报到",
        [ReportedLate] = "部门超时报到",
        [WhistleOverdue] = "超时未报到，转区调度中心督办",
        [Assigned] = "已指派网格员",
        [EvaluatedByPhone] = "电话回访评价",
        [ContentChecked] = "内容安全检测",
        [ContentReviewed] = "内容已复核",
        [Unpublished] = "撤下公示",
    };

    /// <summary>The whole list, for the spec (a test keeps it equal to <see cref="Labels"/>).</summary>
    public const string Description =
        "What happened, one of: submitted, accepted, started, escalated, auto_escalated, dispatched, received, returned, extension_requested, " +
        "extension_approved, extension_denied, resolved, rejected, note, replied, supervised, overdue, evaluated, reopened, closed, urged, " +
        "whistled, reported, reported_late, whistle_overdue, assigned, evaluated_by_phone, content_checked, content_reviewed, unpublished. " +
        "content_checked, content_reviewed and unpublished (staff withdrew the case from the public wall, with the reason) are internal: what WeChat's content check said of the resident's text (with its label and " +
        "trace_id), and the dispatch center's review of flagged text. " +
        "kindLabel says it in Chinese.";

    public static string LabelOf(string kind) => Labels.GetValueOrDefault(kind, kind);
}

/// <summary>
/// The status as the resident sees it. Within one round of handling (from submission, or from the resident's 发回重办)
/// it never goes back: a case that was accepted and is then passed on (escalated 上报, dispatched 派单, returned to the
/// dispatch center) stays accepted or in_progress while the next unit signs for it, and the label says where it went
/// ("已受理 · 上报街道"). Staff always see the real status.
/// </summary>
public static class ResidentStatus
{
    private static readonly string[] Open = [ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress];

    /// <summary>0 submitted, 1 accepted, 2 in_progress; every other status has no rank (it is shown as it is).</summary>
    public static int Rank(string status) => status switch
    {
        ComplaintStatus.Accepted => 1,
        ComplaintStatus.InProgress => 2,
        _ => 0,
    };

    /// <summary>The furthest open status of the current round: the highest rank of the events since the last reopen.</summary>
    public static int RoundProgress(IEnumerable<ComplaintEventRow> events) => events.Aggregate(0, After);

    /// <summary>The round's progress after one more event (in order): a reopen starts a new round.</summary>
    public static int After(int progress, ComplaintEventRow e) => e.Kind == EventKinds.Reopened ? Rank(e.Status) : Math.Max(progress, Rank(e.Status));

    /// <summary>An open status is shown as the furthest reached in this round; resolved, closed and rejected as they are.</summary>
    public static string Of(string status, int roundProgress) =>
        Open.Contains(status) ? Open[Math.Max(Rank(status), roundProgress)] : status;

    /// <summary>
    /// The Chinese label: the resident status, plus where the case went while it waits for a unit other than the
    /// resident's community to accept it (上报街道, 上报区调度中心, 转派部门, 转派社区, 转派街道).
    /// </summary>
    public static string Label(Complaint c, string residentStatus)
    {
        var label = ComplaintStatus.Labels[residentStatus];
        if (c.Status != ComplaintStatus.Submitted || (c.HandlingLevel == HandlingLevel.Community && c.HandlingUnitId == c.CommunityId))
        {
            return label;
        }
        return label + " · " + c.HandlingLevel switch
        {
            HandlingLevel.Street when c.HandlingUnitId == c.StreetId => "上报街道",
            HandlingLevel.Street => "转派街道",
            HandlingLevel.District => "上报" + DispatchCenter.Name,
            HandlingLevel.Department => "转派部门",
            _ => "转派社区",
        };
    }
}

/// <summary>Why a case ended: a rating closes it as evaluated, silence for 7 days as not_evaluated (never "satisfied").</summary>
public static class CloseReasons
{
    public const string Evaluated = "evaluated";
    public const string NotEvaluated = "not_evaluated";
    public const string Rejected = "rejected";
}

/// <summary>
/// One complaint (诉求) and its handling facts: the one row type of the Complaints table. The machine turns one
/// into the next; the store writes it guarded by <see cref="Version"/>. Names of units and categories come from
/// the in-memory org directory, not from joins.
/// </summary>
public sealed record Complaint
{
    public long Id { get; init; }
    public string TrackingNo { get; init; } = "";
    public int Version { get; init; }
    public long UserId { get; init; }
    public string Description { get; init; } = "";
    public string? Address { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? ContactPhoneMasked { get; init; }
    public bool Anonymous { get; init; }
    public DateTime SubmittedAt { get; init; }
    public long CommunityId { get; init; }
    public long CategoryId { get; init; }
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
    public string Channel { get; init; } = Channels.MiniProgram;
    public long? GridId { get; init; }
    public long? RecordedByStaffId { get; init; }
    public long? AssignedStaffId { get; init; }
    public bool CallbackWanted { get; init; }
    /// <summary>Whistled (吹哨) to a paired department that has not reported (报到, accepted) yet.</summary>
    public bool WhistlePending { get; init; }
    public string? GridCode { get; init; }
    public string? GridName { get; init; }
    public string? AssignedStaffName { get; init; }
    /// <summary>WeChat's text check said "review": the dispatch center looks at the resident's text.</summary>
    public bool ContentReview { get; init; }
    /// <summary>WeChat could not judge the resident's text (down, busy, 61010): accepted unchecked, for a person to look at.</summary>
    public bool ContentUnchecked { get; init; }
    /// <summary>The resident agreed at submission that the case may appear on the public wall (办结公示) and in Open311.</summary>
    public bool PublicConsent { get; init; }
    /// <summary>Staff withdrew the case from the wall (unpublish, with an internal reason); it stays withdrawn.</summary>
    public bool Unpublished { get; init; }
    /// <summary>The Open311 partner that filed the report (channel open311), else null.</summary>
    public string? Partner { get; init; }

    /// <summary>On the public wall and in Open311: consented, not withdrawn, and resolved or closed.</summary>
    public bool IsPublic => PublicConsent && !Unpublished && Status is ComplaintStatus.Resolved or ComplaintStatus.Closed;

    // Facts the district's numbers need (CaseFacts keeps them; CaseCounters reads them).
    public DateTime? FirstAcceptedAt { get; init; }
    public bool ResponseMissed { get; init; }
    public int ReturnCount { get; init; }
    public int ExtensionCount { get; init; }
    public bool LeftCommunityLevel { get; init; }
    public int ResolutionCount { get; init; }
    public int? ResolvedWorkingDays { get; init; }
    public bool? LastEvaluationResolved { get; init; }
    public string? LastSatisfaction { get; init; }

    // From the org directory (see ComplaintStore.Named).
    public long StreetId { get; init; }
    public string StreetName { get; init; } = "";
    public string CommunityCode { get; init; } = "";
    public string CommunityName { get; init; } = "";
    public string CategoryCode { get; init; } = "";
    public string CategoryName { get; init; } = "";
    public bool CategoryIsEmergency { get; init; }
    public string? CategoryHotline { get; init; }
    public int ResponseHours { get; init; }
    public int ResolutionWorkingDays { get; init; }
    public bool CategoryRequiresResolutionPhoto { get; init; }
    public string HandlingUnitName { get; init; } = "";

    public bool IsTerminal => Status is ComplaintStatus.Closed or ComplaintStatus.Rejected;

    /// <summary>The deadline running now: accepting while submitted, resolving while being handled; null once resolved, closed or rejected.</summary>
    public DateTime? DueAt => Status switch
    {
        ComplaintStatus.Submitted => ResponseDueAt,
        ComplaintStatus.Accepted or ComplaintStatus.InProgress => ResolutionDueAt,
        _ => null,
    };

    /// <summary>When the deadline sweep next has to look at this case; null once no deadline can pass any more.</summary>
    public DateTime? NextSweepAt => Status switch
    {
        ComplaintStatus.Submitted when !IsOverdue || WhistlePending || HandlingLevel is Shared.HandlingLevel.Community or Shared.HandlingLevel.Street => ResponseDueAt,
        ComplaintStatus.Accepted or ComplaintStatus.InProgress when !IsOverdue => ResolutionDueAt,
        ComplaintStatus.Resolved => ResolvedAt + ComplaintMachine.EvaluationWindow,
        _ => null,
    };

    /// <summary>Inbox order: overdue first, then supervised (督办), then urged (催办).</summary>
    public int Priority => (IsOverdue ? 4 : 0) + (IsSupervised ? 2 : 0) + (UrgeCount > 0 ? 1 : 0);

    /// <summary>The urgent order as stored (ascending, so one index serves it and its keyset): 7 - Priority.</summary>
    public int UrgencyRank => 7 - Priority;

    /// <summary>The first rank of a case that is not overdue (overdue adds 4 to the priority).</summary>
    public const int OnTimeRank = 4;

    /// <summary>The running deadline for the urgent order; cases without one come after every case that has one.</summary>
    public DateTime DueSort => DueAt ?? NoDeadline;

    public static readonly DateTime NoDeadline = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);
}

public sealed record ComplaintEventRow
{
    public string Kind { get; init; } = "";
    public string Status { get; init; } = "";
    public string? UnitName { get; init; }
    public string? Note { get; init; }
    public DateTime OccurredAt { get; init; }
    public bool IsPublic { get; init; }
    /// <summary>The step's photos: ids, comma-separated (see <see cref="PhotoIdList"/>).</summary>
    public string? PhotoIds { get; init; }
}

/// <summary>How a timeline step keeps its photo ids in one column.</summary>
public static class PhotoIdList
{
    public const int Max = 9;

    public static string? Join(IReadOnlyList<string>? ids) => ids is { Count: > 0 } ? string.Join(',', ids) : null;

    public static IReadOnlyList<string> Split(string? ids) => string.IsNullOrEmpty(ids) ? [] : ids.Split(',');
}

public sealed record NamedRef(string Code, string Name);

/// <summary>One meaning of dueAt for residents and staff, said once.</summary>
public static class DueAtText
{
    public const string Description =
        "The deadline running now, for the unit that holds the case: to accept it while it waits to be accepted (staff status submitted), " +
        "to resolve it while it is handled (accepted, in_progress); null once resolved, closed or rejected. The same in the resident's and the staff's views.";
}

public sealed record TimelineEntry(
    [property: OpenApiEnum(typeof(EventKinds))]
    [property: Description(EventKinds.Description + " Residents see only public steps: never returned, extension_requested, extension_denied, note, overdue, content_checked, content_reviewed or unpublished.")] string Kind,
    [property: Description("The kind in Chinese, e.g. 已受理, 超时自动上报, 发回重办")] string KindLabel,
    [property: OpenApiEnum(typeof(ComplaintStatus))]
    [property: Description("The status after this step as the resident sees it (see the case's status)")] string Status,
    DateTimeOffset At,
    [property: Description("The unit that acted (a community, street office or department), never a person")] string? Unit,
    [property: Description(NoteText.Resident)] string? Note,
    [property: Description("The step's photos: the report's on submitted, 办结照片 on resolved, a reply's on replied; empty otherwise")] IReadOnlyList<PhotoLink> Photos);

/// <summary>Which staff text a resident reads is decided by the field, never by the action: said once for the spec.</summary>
public static class NoteText
{
    public const string Resident =
        "The step's public text: a staff reply or resolution text (the request's reply), a rejection's reason, the resident's own " +
        "evaluation comment, or a system message (转至北院门街道). Never staff-internal text: a request's note (and escalation, return " +
        "and extension reasons) stays internal whatever the action.";

    public const string Staff =
        "The step's text. Residents see it only when isPublic is true, which is the case only for reply and resolve texts (the request's " +
        "reply), a rejection's reason and system messages; notes and escalation, return and extension reasons are internal.";
}

public sealed record HandlingUnit(
    [property: OpenApiEnum(typeof(HandlingLevel))]
    [property: Description("community | street | district | department")] string Level,
    [property: Description("e.g. 贡院门社区, 北院门街道, 区调度中心, or the department's name")] string UnitName);

public sealed record ComplaintDetail(
    [property: Description("Short, readable and unique, e.g. LH20261128-0042; quote it on the phone")] string TrackingNo,
    [property: OpenApiEnum(typeof(ComplaintStatus))]
    [property: Description(ResidentStatusText.Status)] string Status,
    [property: Description(ResidentStatusText.Label)] string StatusLabel,
    [property: Description(ResidentStatusText.HandledBy)] HandlingUnit HandledBy,
    DateTimeOffset SubmittedAt,
    [property: Description(DueAtText.Description)] DateTimeOffset? DueAt,
    NamedRef Community,
    NamedRef Category,
    string Description,
    string? Address,
    GeoPoint? Location,
    [property: Description("Masked, e.g. 138****5678")] string? ContactPhone,
    bool Anonymous,
    [property: Description("For emergency categories: what to call right now")] string? EmergencyHotline,
    [property: Description("The photos the resident sent with the report (signed links, short-lived: open the report again for new ones)")] IReadOnlyList<PhotoLink> Photos,
    IReadOnlyList<TimelineEntry> Timeline);

/// <summary>The resident status model, said once for the spec (see <see cref="ResidentStatus"/>).</summary>
public static class ResidentStatusText
{
    public const string Status =
        "submitted | accepted | in_progress | resolved | closed | rejected, as the resident sees it: within one round of handling it never " +
        "goes back. A case accepted and then passed on (escalated 上报, dispatched 派单, returned to the dispatch center) stays accepted or " +
        "in_progress while the next unit signs for it; a new round starts only when the resident sends a resolved case back (发回重办). " +
        "Staff views carry the real status.";

    public const string Label =
        "The status in Chinese; while the case waits for a unit other than the resident's community to accept it, also where it went: " +
        "已受理 · 上报街道, 待受理 · 上报区调度中心, 处理中 · 转派部门";

    public const string HandledBy = "The unit holding the case now; once resolved, closed or rejected, the unit that handled it last";
}

public sealed record StaffTimelineEntry(
    [property: OpenApiEnum(typeof(EventKinds))]
    [property: Description(EventKinds.Description)] string Kind,
    [property: Description("The kind in Chinese, e.g. 已受理, 内部备注, 已退单")] string KindLabel,
    [property: OpenApiEnum(typeof(ComplaintStatus))]
    [property: Description("The case's real status after this step")] string Status,
    DateTimeOffset At,
    [property: Description("The unit that acted, never a person")] string? Unit,
    [property: Description(NoteText.Staff)] string? Note,
    [property: Description("False for internal notes, returns and extension requests, which residents never see")] bool IsPublic,
    [property: Description("The step's photos: the report's on submitted, 办结照片 on resolved, a reply's on replied; empty otherwise")] IReadOnlyList<PhotoLink> Photos);

public sealed record StaffComplaintDetail(
    string TrackingNo,
    [property: OpenApiEnum(typeof(ComplaintStatus))]
    [property: Description("The real status: submitted | accepted | in_progress | resolved | closed | rejected (submitted again whenever a unit receives the case)")] string Status,
    string StatusLabel,
    [property: OpenApiEnum(typeof(HandlingLevel))]
    [property: Description("community | street | district | department: where the case is now")] string Level,
    DateTimeOffset SubmittedAt,
    [property: Description(DueAtText.Description)] DateTimeOffset? DueAt,
    NamedRef Community,
    NamedRef Category,
    string Description,
    string? Address,
    GeoPoint? Location,
    [property: Description("Masked, and absent when the resident asked to stay anonymous; the full number needs the audited contact call")] string? ContactPhone,
    bool Anonymous,
    bool IsOverdue,
    bool IsSupervised,
    int UrgeCount,
    int ReopenCount,
    DateTimeOffset? ExtensionRequestedUntil,
    [property: Description(ContentFlagText.Review)] bool ContentReview,
    [property: Description(ContentFlagText.Unchecked)] bool ContentUnchecked,
    [property: Description("Send as If-Match to act only if nobody changed the case since you read it")] int Version,
    [property: Description("The photos the resident sent with the report (signed links, short-lived)")] IReadOnlyList<PhotoLink> Photos,
    
    IReadOnlyList<StaffTimelineEntry> Timeline,
    [property: OpenApiEnum(typeof(Channels))]
    [property: Description(Channels.Description)] string Channel,
    [property: Description("The grid (网格) the case belongs to, if any")] NamedRef? Grid,
    [property: Description("The grid worker the community assigned the case to (assign), if any")] string? AssignedTo,
    [property: Description("True for a report recorded on a resident's behalf (POST /api/staff/complaints)")] bool RecordedByStaff,
    [property: Description("The resident wants a call back (回访); the handling unit records the answer with evaluate-by-phone")] bool CallbackWanted,
    [property: Description("Whistled (吹哨) to a paired department that has not reported (accepted) yet; the sweep escalates it to the dispatch center when its response time passes")] bool WhistlePending,
    [property: Description("The resident agreed that the case may appear on the public wall (办结公示) and in Open311 once resolved")] bool PublicConsent,
    [property: Description("Staff withdrew the case from the public wall (unpublish); it never appears there again")] bool Unpublished,
    [property: Description("The Open311 partner that filed the report (channel open311), else null")] string? Partner);

/// <summary>The two content-safety flags, said once for the spec.</summary>
public static class ContentFlagText
{
    public const string Review =
        "WeChat's content check asked for a human review of the resident's text (suggest = review), or found one of the case's photos " +
        "to need review or to be risky (a risky photo is shown to the dispatch center only): the dispatch center looks at it; " +
        "the timeline's content_checked step has WeChat's label and trace_id; the content-reviewed action clears it";

    public const string Unchecked =
        "WeChat could not check the resident's text (unavailable, timed out, or the resident had not opened the mini-program within 2 hours), " +
        "or one of the case's photos got no verdict from WeChat's image check within an hour of its upload: the report was accepted and " +
        "waits for a person to look at its text or photo; the content-reviewed action clears it";
}

public sealed record ComplaintListItem(
    string TrackingNo,
    [property: OpenApiEnum(typeof(ComplaintStatus))]
    [property: Description(ResidentStatusText.Status)] string Status,
    [property: Description(ResidentStatusText.Label)] string StatusLabel,
    [property: Description(ResidentStatusText.HandledBy)] HandlingUnit HandledBy,
    DateTimeOffset SubmittedAt,
    [property: Description(DueAtText.Description)] DateTimeOffset? DueAt,
    NamedRef Community,
    NamedRef Category,
    [property: Description("The first 60 characters of the description")] string Summary);

public sealed record ComplaintPage(
    IReadOnlyList<ComplaintListItem> Items,
    [property: Description("Pass as `cursor` to get the next page; null on the last page")] string? NextCursor);

/// <summary>Page sizes every list of complaints shares.</summary>
public static class ComplaintLists
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 50;
}

public static class ComplaintMappings
{
    public static ComplaintDetail AsDetail(this Complaint c, IEnumerable<ComplaintEventRow> events)
    {
        // Each step shows the status the resident saw after it: the same rule as the case's own status, step by step.
        var progress = 0;
        var timeline = new List<TimelineEntry>();
        foreach (var e in events)
        {
            progress = ResidentStatus.After(progress, e);
            if (e.IsPublic)
            {
                timeline.Add(new TimelineEntry(e.Kind, EventKinds.LabelOf(e.Kind), ResidentStatus.Of(e.Status, progress),
                    e.OccurredAt.AsChinaTime(), e.UnitName, e.Note, Photos(e.PhotoIds, Unsigned)));
            }
        }
        var status = ResidentStatus.Of(c.Status, progress);
        return new(c.TrackingNo, status, ResidentStatus.Label(c, status), c.HandledBy(), c.SubmittedAt.AsChinaTime(), c.DueAt?.AsChinaTime(),
            new NamedRef(c.CommunityCode, c.CommunityName), new NamedRef(c.CategoryCode, c.CategoryName),
            c.Description, c.Address, c.Location(), c.ContactPhoneMasked, c.Anonymous, c.CategoryIsEmergency ? c.CategoryHotline : null,
            ReportPhotos(events, Unsigned), timeline);
    }

    /// <summary>
    /// The stored resident view keeps only the photos' ids: links expire, so <see cref="ResidentViewLinks.SignAsync"/> fills
    /// them in whenever the view is served.
    /// </summary>
    private static PhotoLink Unsigned(string id) => new(id, "", "", default);

    private static IReadOnlyList<PhotoLink> Photos(string? ids, Func<string, PhotoLink> link) => PhotoIdList.Split(ids).Select(link).ToList();

    private static IReadOnlyList<PhotoLink> ReportPhotos(IEnumerable<ComplaintEventRow> events, Func<string, PhotoLink> link) =>
        Photos(events.FirstOrDefault(e => e.Kind == EventKinds.Submitted)?.PhotoIds, link);

    public static StaffComplaintDetail AsStaffDetail(this Complaint c, IReadOnlyList<ComplaintEventRow> events, Func<string, PhotoLink> link) =>
        new(c.TrackingNo, c.Status, ComplaintStatus.Labels[c.Status], c.HandlingLevel, c.SubmittedAt.AsChinaTime(), c.DueAt?.AsChinaTime(),
            new NamedRef(c.CommunityCode, c.CommunityName), new NamedRef(c.CategoryCode, c.CategoryName), c.Description, c.Address,
            c.Location(), c.Anonymous ? null : c.ContactPhoneMasked, c.Anonymous, c.IsOverdue, c.IsSupervised, c.UrgeCount,
            c.ReopenCount, c.ExtensionRequestedUntil?.AsChinaTime(), c.ContentReview, c.ContentUnchecked, c.Version, ReportPhotos(events, link),
            events.Select(e => new StaffTimelineEntry(e.Kind, EventKinds.LabelOf(e.Kind), e.Status, e.OccurredAt.AsChinaTime(), e.UnitName, e.Note, e.IsPublic,
                Photos(e.PhotoIds, link))).ToList(),
            c.Channel, c.GridCode is { } grid ? new NamedRef(grid, c.GridName ?? grid) : null, c.AssignedStaffName, c.RecordedByStaffId is not null,
            c.CallbackWanted, c.WhistlePending, c.PublicConsent, c.Unpublished, c.Partner);

    /// <summary>The resident's list entry; <paramref name="roundProgress"/> is <see cref="ResidentStatus.RoundProgress"/>, computed by the list query.</summary>
    public static ComplaintListItem AsListItem(this Complaint c, int roundProgress)
    {
        var status = ResidentStatus.Of(c.Status, roundProgress);
        return new(c.TrackingNo, status, ResidentStatus.Label(c, status), c.HandledBy(), c.SubmittedAt.AsChinaTime(), c.DueAt?.AsChinaTime(),
            new NamedRef(c.CommunityCode, c.CommunityName), new NamedRef(c.CategoryCode, c.CategoryName), TextSummary.Of(c.Description));
    }

    private static HandlingUnit HandledBy(this Complaint c) => new(c.HandlingLevel, c.HandlingUnitName);

    private static GeoPoint? Location(this Complaint c) =>
        c.Latitude is { } lat && c.Longitude is { } lng ? new GeoPoint(lat, lng) : null;
}
