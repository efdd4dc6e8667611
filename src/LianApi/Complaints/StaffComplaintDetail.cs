using System.ComponentModel;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Shared;

namespace LianApi.Complaints;

public sealed record StaffTimelineEntry(
    [property: OpenApiEnum(typeof(EventKinds))]
    [property: Description(EventKinds.Description)] string Kind,
    [property: Description("The kind in Chinese, e.g. 已受理, 内部备注, 已退单")] string KindLabel,
    [property: OpenApiEnum(typeof(ComplaintStatus))]
    [property: Description("The case's real status after this step")] string Status,
    DateTimeOffset At,
    [property: Description("The unit that acted")] string? Unit,
    [property: Description(NoteText.Staff)] string? Note,
    [property: Description("False for internal notes, returns and extension requests, which residents never see")] bool IsPublic,
    [property: Description("The step's photos: the report's on submitted, 办结照片 on resolved, a reply's on replied; empty otherwise")] IReadOnlyList<PhotoLink> Photos,
    [property: Description("The staff member who acted (staff views only; residents see the unit): null for the resident's own steps and the system's")] TimelineActor? Actor);

/// <summary>Who took a step, as staff see it: the person, their unit and their role.</summary>
public sealed record TimelineActor(
    string Name,
    [property: Description("The unit the person belongs to")] string Unit,
    [property: OpenApiEnum(typeof(Staff.StaffRoles))]
    [property: Description("community | street | department | dispatcher | admin | volunteer")] string Role);

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
    [property: Description("The Open311 partner that filed the report (channel open311), else null")] string? Partner,
    [property: Description("What the caller may do on the case now, each action with the fields its request needs and takes (computed by the state machine)")] IReadOnlyList<AllowedAction> AllowedActions);
