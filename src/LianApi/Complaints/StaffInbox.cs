using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Dapper;
using LianApi.Communities;
using LianApi.Data;
using LianApi.Infrastructure;
using LianApi.Shared;
using LianApi.Staff;

namespace LianApi.Complaints;

public sealed record InboxQuery(
    [property: Description("submitted | accepted | in_progress | resolved | closed | rejected")]
    [property: AllowedValues(null, ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress, ComplaintStatus.Resolved,
        ComplaintStatus.Closed, ComplaintStatus.Rejected, ErrorMessage = ValidationMessages.Status)] string? Status,
    [property: Description("A category code")] string? Category,
    [property: Description("Only overdue (true) or only on-time (false) cases")] bool? Overdue,
    [property: Description("Only cases WeChat's content check sent to human review: their text, or a photo found review or risky (true), or only the others (false)")] bool? ContentReview,
    [property: Description("Only cases whose text or photo WeChat could not check (true), or only the others (false)")] bool? ContentUnchecked,
    [property: Description("community | street | district | department: where the case is now")]
    [property: AllowedValues(null, HandlingLevel.Community, HandlingLevel.Street, HandlingLevel.District, HandlingLevel.Department,
        ErrorMessage = ValidationMessages.Level)] string? Level,
    [property: Description("A community code")] string? Community,
    [property: DataType(DataType.DateTime)]
    [property: Description("Submitted at or after this time: ISO 8601 (2026-12-01, 2026-12-01T08:00, 2026-12-01T00:00:00Z); without an offset it is Beijing time")] ChinaTimeParameter? From,
    [property: DataType(DataType.DateTime)]
    [property: Description("Submitted before this time: ISO 8601; without an offset it is Beijing time (to=2026-12-02 ends with 1 December, Beijing)")] ChinaTimeParameter? To,
    [property: Description("newest (default) or urgent: overdue, supervised and urged first, then the nearest deadline")]
    [property: AllowedValues(null, "newest", "urgent", ErrorMessage = ValidationMessages.Sort)] string? Sort,
    [property: Description("Page size, 1–50 (default 20)"), Range(1, ComplaintLists.MaxPageSize, ErrorMessage = ValidationMessages.PageSize)] int? Limit,
    [property: Description("The nextCursor of the previous page")] string? Cursor,
    [property: Description("Only whistled cases (吹哨) still waiting for their department to report (true), or only the others (false)")] bool? Whistled = null);

public sealed record InboxItem(
    string TrackingNo,
    [property: OpenApiEnum(typeof(ComplaintStatus))]
    string Status,
    string StatusLabel,
    [property: OpenApiEnum(typeof(HandlingLevel))]
    [property: Description("community | street | district | department")] string Level,
    NamedRef Community,
    NamedRef Category,
    string Summary,
    DateTimeOffset SubmittedAt,
    [property: Description(DueAtText.Description)] DateTimeOffset? DueAt,
    bool IsOverdue,
    bool IsSupervised,
    int UrgeCount,
    int ReopenCount,
    DateTimeOffset? ExtensionRequestedUntil,
    [property: Description(ContentFlagText.Review)] bool ContentReview,
    [property: Description(ContentFlagText.Unchecked)] bool ContentUnchecked,
    [property: Description("Masked; the full number needs the audited contact call")] string? ContactPhone,
    int Version,
    [property: OpenApiEnum(typeof(Channels))]
    [property: Description(Channels.Description)] string Channel,
    [property: Description("The grid (网格) the case belongs to, if any")] NamedRef? Grid,
    [property: Description("Whistled to a paired department that has not reported yet")] bool WhistlePending);

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, string? NextCursor);

public sealed record InboxRow
{
    public long Id { get; init; }
    public string TrackingNo { get; init; } = "";
    public string Status { get; init; } = "";
    public string HandlingLevel { get; init; } = "";
    public string CommunityCode { get; init; } = "";
    public string CommunityName { get; init; } = "";
    public string CategoryCode { get; init; } = "";
    public string CategoryName { get; init; } = "";
    public string Description { get; init; } = "";
    public DateTime SubmittedAt { get; init; }
    public DateTime? DueAt { get; init; }
    public int Priority { get; init; }
    public bool IsOverdue { get; init; }
    public bool IsSupervised { get; init; }
    public int UrgeCount { get; init; }
    public int ReopenCount { get; init; }
    public DateTime? ExtensionRequestedUntil { get; init; }
    public string? ContactPhoneMasked { get; init; }
    public bool Anonymous { get; init; }
    public bool ContentReview { get; init; }
    public bool ContentUnchecked { get; init; }
    public int Version { get; init; }
    public string Channel { get; init; } = Channels.MiniProgram;
    public string? GridCode { get; init; }
    public string? GridName { get; init; }
    public bool WhistlePending { get; init; }

    public InboxItem AsItem() => new(TrackingNo, Status, ComplaintStatus.Labels[Status], HandlingLevel,
        new NamedRef(CommunityCode, CommunityName), new NamedRef(CategoryCode, CategoryName),
        TextSummary.Of(Description), SubmittedAt.AsChinaTime(), DueAt?.AsChinaTime(),
        IsOverdue, IsSupervised, UrgeCount, ReopenCount, ExtensionRequestedUntil?.AsChinaTime(), ContentReview, ContentUnchecked,
        Anonymous ? null : ContactPhoneMasked, Version, Channel, GridCode is null ? null : new NamedRef(GridCode, GridName ?? GridCode), WhistlePending);
}

/// <summary>A unit's inbox: only what the staff member's scope allows, filtered, by keyset in either order.</summary>
public sealed class StaffInboxStore(Database db)
{
    // Cases without a live deadline (resolved, closed) sort after every case that still has one.
    private static readonly DateTime NoDeadline = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private const string SelectInbox = """
        SELECT c.Id, c.TrackingNo, c.Status, c.HandlingLevel, m.Code AS CommunityCode, m.Name AS CommunityName,
               k.Code AS CategoryCode, k.Name AS CategoryName, c.Description, c.SubmittedAt, c.DueAt, c.Priority, c.IsOverdue,
               c.IsSupervised, c.UrgeCount, c.ReopenCount, c.ExtensionRequestedUntil, c.ContactPhoneMasked, c.Anonymous,
               c.ContentReview, c.ContentUnchecked, c.Version,
               c.Channel, g.Code AS GridCode, g.Name AS GridName, c.WhistlePending
        FROM Complaints c
        JOIN Communities m ON m.Id = c.CommunityId
        JOIN Categories k ON k.Id = c.CategoryId
        LEFT JOIN Grids g ON g.Id = c.GridId
        WHERE (@SeesAll = @True
               OR (@Role = @VolunteerRole AND c.RecordedByStaffId = @StaffId)
               OR (@Role = @CommunityRole AND @GridId IS NULL AND c.CommunityId = @UnitId)
               OR (@Role = @CommunityRole AND @GridId IS NOT NULL AND (c.AssignedStaffId = @StaffId OR (c.CommunityId = @UnitId AND c.GridId = @GridId)))
               OR (@Role = @StreetRole AND m.StreetId = @UnitId)
               OR (@Role <> @VolunteerRole AND @GridId IS NULL AND c.HandlingLevel = @StaffLevel AND c.HandlingUnitId = @UnitId))
          AND (@Whistled IS NULL OR c.WhistlePending = @Whistled)
          AND (@Status IS NULL OR c.Status = @Status)
          AND (@Category IS NULL OR k.Code = @Category)
          AND (@Overdue IS NULL OR c.IsOverdue = @Overdue)
          AND (@ContentReview IS NULL OR c.ContentReview = @ContentReview)
          AND (@ContentUnchecked IS NULL OR c.ContentUnchecked = @ContentUnchecked)
          AND (@Level IS NULL OR c.HandlingLevel = @Level)
          AND (@Community IS NULL OR m.Code = @Community)
          AND (@From IS NULL OR c.SubmittedAt >= @From)
          AND (@To IS NULL OR c.SubmittedAt < @To)
        """;

    private const string NewestFirst = """
          AND (@AfterId IS NULL OR c.Id < @AfterId)
        ORDER BY c.Id DESC
        """;

    private const string MostUrgentFirst = """
          AND (@AfterId IS NULL
               OR c.Priority < @AfterPriority
               OR (c.Priority = @AfterPriority AND COALESCE(c.DueAt, @NoDeadline) > @AfterDue)
               OR (c.Priority = @AfterPriority AND COALESCE(c.DueAt, @NoDeadline) = @AfterDue AND c.Id > @AfterId))
        ORDER BY c.Priority DESC, COALESCE(c.DueAt, @NoDeadline), c.Id
        """;

    public async Task<InboxPage> ListAsync(StaffMember staff, InboxQuery q, bool urgent, int limit, InboxCursor? after, CancellationToken ct)
    {
        var sql = SelectInbox + (urgent ? MostUrgentFirst : NewestFirst) + "\n" + db.Dialect.LimitRows;
        var rows = await db.ReadAsync(async c => (await c.QueryAsync<InboxRow>(new CommandDefinition(sql, new
        {
            SeesAll = staff.SeesEverything, True = true, staff.Role, UnitId = staff.UnitId ?? 0, StaffLevel = StaffRoles.LevelOf(staff.Role),
            CommunityRole = StaffRoles.Community, StreetRole = StaffRoles.Street, VolunteerRole = StaffRoles.Volunteer, StaffId = staff.Id, staff.GridId,
            q.Whistled,
            q.Status, q.Category, q.Overdue, q.ContentReview, q.ContentUnchecked, q.Level, Community = q.Community?.ToLowerInvariant(),
            From = q.From?.UtcDateTime, To = q.To?.UtcDateTime, NoDeadline,
            AfterId = after?.Id, AfterPriority = after?.Priority ?? 0, AfterDue = after?.DueAt ?? NoDeadline, Limit = limit + 1,
        }, cancellationToken: ct))).AsList(), ct);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? new InboxCursor(page[^1].Id, page[^1].Priority, page[^1].DueAt ?? NoDeadline).ToString() : null;
        return new InboxPage(page.Select(r => r.AsItem()).ToList(), next);
    }
}

/// <summary>Where the previous page ended: the sort key of its last row, so pages never shift as cases move.</summary>
public sealed record InboxCursor(long Id, int Priority, DateTime DueAt)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id}.{Priority}.{DueAt.Ticks}");

    public static bool TryParse(string? text, out InboxCursor? cursor)
    {
        cursor = null;
        var parts = text?.Split('.') ?? [];
        if (parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTime.MaxValue.Ticks)
        {
            cursor = new InboxCursor(id, priority, new DateTime(ticks, DateTimeKind.Utc));
            return true;
        }
        return false;
    }
}
