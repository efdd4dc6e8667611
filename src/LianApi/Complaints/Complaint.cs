using System.ComponentModel;
using LianApi.Communities;
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
        ComplaintStatus.Submitted when !IsOverdue || HandlingLevel is Shared.HandlingLevel.Community or Shared.HandlingLevel.Street => ResponseDueAt,
        ComplaintStatus.Accepted or ComplaintStatus.InProgress when !IsOverdue => ResolutionDueAt,
        ComplaintStatus.Resolved => ResolvedAt + ComplaintMachine.EvaluationWindow,
        _ => null,
    };

    /// <summary>Inbox order: overdue first, then supervised (督办), then urged (催办).</summary>
    public int Priority => (IsOverdue ? 4 : 0) + (IsSupervised ? 2 : 0) + (UrgeCount > 0 ? 1 : 0);
}

public sealed record ComplaintEventRow
{
    public string Kind { get; init; } = "";
    public string Status { get; init; } = "";
    public string? UnitName { get; init; }
    public string? Note { get; init; }
    public DateTime OccurredAt { get; init; }
    public bool IsPublic { get; init; }
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
    [property: Description("What happened: submitted, accepted, escalated, replied, resolved, …")] string Kind,
    [property: Description("The case's status after this step")] string Status,
    DateTimeOffset At,
    [property: Description("The unit that acted (a community, street office or department), never a person")] string? Unit,
    [property: Description("Text addressed to the resident, if any")] string? Note);

public sealed record ComplaintDetail(
    [property: Description("Short, readable and unique, e.g. LH20261128-0042; quote it on the phone")] string TrackingNo,
    [property: Description("submitted | accepted | in_progress | resolved | closed | rejected")] string Status,
    [property: Description("The status as the resident reads it, e.g. 待受理")] string StatusLabel,
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
    IReadOnlyList<TimelineEntry> Timeline);

public sealed record StaffTimelineEntry(
    string Kind,
    string Status,
    DateTimeOffset At,
    string? Unit,
    string? Note,
    [property: Description("False for internal notes, returns and extension requests, which residents never see")] bool IsPublic);

public sealed record StaffComplaintDetail(
    string TrackingNo,
    string Status,
    string StatusLabel,
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
    [property: Description("Send as If-Match to act only if nobody changed the case since you read it")] int Version,
    IReadOnlyList<StaffTimelineEntry> Timeline);

public sealed record ComplaintListItem(
    string TrackingNo,
    string Status,
    string StatusLabel,
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
    public static ComplaintDetail AsDetail(this Complaint c, IEnumerable<ComplaintEventRow> events) =>
        new(c.TrackingNo, c.Status, ComplaintStatus.Labels[c.Status], c.SubmittedAt.AsChinaTime(), c.DueAt?.AsChinaTime(),
            new NamedRef(c.CommunityCode, c.CommunityName), new NamedRef(c.CategoryCode, c.CategoryName),
            c.Description, c.Address, c.Location(), c.ContactPhoneMasked, c.Anonymous, c.CategoryIsEmergency ? c.CategoryHotline : null,
            events.Where(e => e.IsPublic).Select(e => new TimelineEntry(e.Kind, e.Status, e.OccurredAt.AsChinaTime(), e.UnitName, e.Note)).ToList());

    public static StaffComplaintDetail AsStaffDetail(this Complaint c, IEnumerable<ComplaintEventRow> events) =>
        new(c.TrackingNo, c.Status, ComplaintStatus.Labels[c.Status], c.HandlingLevel, c.SubmittedAt.AsChinaTime(), c.DueAt?.AsChinaTime(),
            new NamedRef(c.CommunityCode, c.CommunityName), new NamedRef(c.CategoryCode, c.CategoryName), c.Description, c.Address,
            c.Location(), c.Anonymous ? null : c.ContactPhoneMasked, c.Anonymous, c.IsOverdue, c.IsSupervised, c.UrgeCount,
            c.ReopenCount, c.ExtensionRequestedUntil?.AsChinaTime(), c.Version,
            events.Select(e => new StaffTimelineEntry(e.Kind, e.Status, e.OccurredAt.AsChinaTime(), e.UnitName, e.Note, e.IsPublic)).ToList());

    public static ComplaintListItem AsListItem(this Complaint c) =>
        new(c.TrackingNo, c.Status, ComplaintStatus.Labels[c.Status], c.SubmittedAt.AsChinaTime(), c.DueAt?.AsChinaTime(),
            new NamedRef(c.CommunityCode, c.CommunityName), new NamedRef(c.CategoryCode, c.CategoryName), TextSummary.Of(c.Description));

    private static GeoPoint? Location(this Complaint c) =>
        c.Latitude is { } lat && c.Longitude is { } lng ? new GeoPoint(lat, lng) : null;
}
