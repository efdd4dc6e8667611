using System.ComponentModel;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Shared;

namespace LianApi.Complaints;

public sealed record NamedRef(string Code, string Name);

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
