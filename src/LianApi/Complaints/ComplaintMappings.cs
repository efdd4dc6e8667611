using LianApi.Communities;
using LianApi.Photos;
using LianApi.Shared;

namespace LianApi.Complaints;

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

    public static StaffComplaintDetail AsStaffDetail(this Complaint c, IReadOnlyList<ComplaintEventRow> events, Func<string, PhotoLink> link,
        IReadOnlyList<AllowedAction> allowed) =>
        new(c.TrackingNo, c.Status, ComplaintStatus.Labels[c.Status], c.HandlingLevel, c.SubmittedAt.AsChinaTime(), c.DueAt?.AsChinaTime(),
            new NamedRef(c.CommunityCode, c.CommunityName), new NamedRef(c.CategoryCode, c.CategoryName), c.Description, c.Address,
            c.Location(), c.Anonymous ? null : c.ContactPhoneMasked, c.Anonymous, c.IsOverdue, c.IsSupervised, c.UrgeCount,
            c.ReopenCount, c.ExtensionRequestedUntil?.AsChinaTime(), c.ContentReview, c.ContentUnchecked, c.Version, ReportPhotos(events, link),
            events.Select(e => new StaffTimelineEntry(e.Kind, EventKinds.LabelOf(e.Kind), e.Status, e.OccurredAt.AsChinaTime(), e.UnitName, e.Note, e.IsPublic,
                Photos(e.PhotoIds, link), e.StaffName is { } name ? new TimelineActor(name, e.StaffUnitName ?? "", e.StaffRole ?? "") : null)).ToList(),
            c.Channel, c.GridCode is { } grid ? new NamedRef(grid, c.GridName ?? grid) : null, c.AssignedStaffName, c.RecordedByStaffId is not null,
            c.CallbackWanted, c.WhistlePending, c.PublicConsent, c.Unpublished, c.Partner, allowed);

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
