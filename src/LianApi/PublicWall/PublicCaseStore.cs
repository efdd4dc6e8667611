using System.Text;
using Dapper;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Photos;
using LianApi.Shared;

namespace LianApi.PublicWall;

/// <summary>
/// Which cases the public may see, and how they are narrowed: the public wall and Open311 read the same set.
/// Ids are the complaint's own; a list filter left null does not narrow.
/// </summary>
public sealed record PublicCaseFilter
{
    public IReadOnlyList<long>? CommunityIds { get; init; }
    public IReadOnlyList<long>? CategoryIds { get; init; }
    public IReadOnlyList<string>? TrackingNos { get; init; }
    public DateTime? SubmittedFrom { get; init; }
    public DateTime? SubmittedTo { get; init; }
    public long? BeforeId { get; init; }
}

/// <summary>
/// Reads the public cases (办结公示): consented by the resident, not withdrawn by staff, resolved or closed. Only
/// columns without personal data are read. Newest report first, by keyset.
/// </summary>
public sealed class PublicCaseStore(Database db, OrgDirectory directory) : IPublicPhotos
{
    // The public set, said once: both readers (wall and Open311) add only narrowing filters to it, and a public photo
    // link asks it on every use.
    private const string IsPublic = "PublicConsent = @True AND Unpublished = @False AND Status IN (@ResolvedStatus, @ClosedStatus)";

    private const string SelectPublicCases = $"""
        SELECT Id, TrackingNo, CommunityId, CategoryId, Description, Status, HandlingLevel, HandlingUnitId, SubmittedAt, UpdatedAt,
               ClosedAt, ResolutionDueAt, ContentReview, ContentUnchecked, LastEvaluationResolved, LastSatisfaction
        FROM Complaints
        WHERE {IsPublic}
        """;

    private const string SelectPublicPhoto = $"""
        SELECT COUNT(*) FROM Photos
        WHERE Id = @PhotoId AND Moderation = @Pass
          AND ComplaintId IN (SELECT Id FROM Complaints WHERE {IsPublic})
        """;

    /// <summary>A photo the public may see now: WeChat's check passed it and its case is public (a withdrawal ends it at once).</summary>
    public async Task<bool> IsPublicAsync(string photoId, CancellationToken ct) =>
        await db.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition(SelectPublicPhoto, new
        {
            PhotoId = photoId, Pass = Moderation.Pass, True = true, False = false,
            ResolvedStatus = ComplaintStatus.Resolved, ClosedStatus = ComplaintStatus.Closed,
        }, cancellationToken: ct)), ct) > 0;

    // The latest resolution of each case: its reply, its photos and its time (a reopened and resolved again case has several).
    private const string SelectResolutions = """
        SELECT ComplaintId, Note, PhotoIds, OccurredAt FROM ComplaintEvents
        WHERE ComplaintId IN @Ids AND Kind = @ResolvedKind
        ORDER BY Id
        """;

    // Only photos WeChat's image check passed are public: pending ones are shown to their uploader and staff only, and
    // review or risky ones never leave the staff side.
    private const string SelectPhotoModeration = "SELECT Id, Moderation FROM Photos WHERE Id IN @PhotoIds";

    private sealed record Resolution
    {
        public long ComplaintId { get; init; }
        public string? Note { get; init; }
        public string? PhotoIds { get; init; }
        public DateTime OccurredAt { get; init; }
    }

    private sealed record PhotoModeration
    {
        public string Id { get; init; } = "";
        public string Moderation { get; init; } = "";
    }

    /// <summary>At most <paramref name="limit"/> public cases matching <paramref name="filter"/>, newest report first, with their public facts.</summary>
    public async Task<IReadOnlyList<PublicFacts>> ListAsync(PublicCaseFilter filter, int limit, CancellationToken ct)
    {
        var sql = new StringBuilder(SelectPublicCases);
        // Only constant text is appended; every value is a parameter.
        foreach (var (given, clause) in new (bool, string)[]
        {
            (filter.CommunityIds is not null, " AND CommunityId IN @CommunityIds"),
            (filter.CategoryIds is not null, " AND CategoryId IN @CategoryIds"),
            (filter.TrackingNos is not null, " AND TrackingNo IN @TrackingNos"),
            (filter.SubmittedFrom is not null, " AND SubmittedAt >= @SubmittedFrom"),
            (filter.SubmittedTo is not null, " AND SubmittedAt <= @SubmittedTo"),
            (filter.BeforeId is not null, " AND Id < @BeforeId"),
        })
        {
            if (given)
            {
                sql.Append(clause);
            }
        }
        sql.Append("\nORDER BY Id DESC\n").Append(db.Dialect.LimitRows);
        var (rows, resolutions, moderation) = await db.ReadAsync(async c =>
        {
            var found = (await c.QueryAsync<PublicCaseRow>(new CommandDefinition(sql.ToString(), new
            {
                True = true, False = false, ResolvedStatus = ComplaintStatus.Resolved, ClosedStatus = ComplaintStatus.Closed,
                CommunityIds = filter.CommunityIds?.ToArray(), CategoryIds = filter.CategoryIds?.ToArray(),
                TrackingNos = filter.TrackingNos?.Select(TrackingNumbers.Normalize).ToArray(),
                filter.SubmittedFrom, filter.SubmittedTo, filter.BeforeId, Limit = limit,
            }, cancellationToken: ct))).AsList();
            if (found.Count == 0)
            {
                return (found, new List<Resolution>(), new List<PhotoModeration>());
            }
            var resolved = (await c.QueryAsync<Resolution>(new CommandDefinition(SelectResolutions, new
            {
                Ids = found.Select(r => r.Id).ToArray(), ResolvedKind = EventKinds.Resolved,
            }, cancellationToken: ct))).AsList();
            var photoIds = resolved.SelectMany(r => PhotoIdList.Split(r.PhotoIds)).Distinct().ToArray();
            var photos = photoIds.Length == 0 ? [] : (await c.QueryAsync<PhotoModeration>(new CommandDefinition(SelectPhotoModeration,
                new { PhotoIds = photoIds }, cancellationToken: ct))).AsList();
            return (found, resolved, photos);
        }, ct);
        var names = await directory.GetAsync(ct);
        if (rows.Any(r => !names.CommunitiesById.ContainsKey(r.CommunityId) || !names.CategoriesById.ContainsKey(r.CategoryId)))
        {
            directory.Invalidate();
            names = await directory.GetAsync(ct);
        }
        var latest = resolutions.GroupBy(r => r.ComplaintId).ToDictionary(g => g.Key, g => g.Last());
        var shown = moderation.Where(p => p.Moderation == Moderation.Pass).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        return rows.Select(r =>
        {
            var resolution = latest.GetValueOrDefault(r.Id);
            return new PublicFacts(r, names.CommunitiesById[r.CommunityId], names.CategoriesById[r.CategoryId],
                names.UnitName(r.HandlingLevel, r.HandlingUnitId) ?? HandlingLevel.Names.GetValueOrDefault(r.HandlingLevel, r.HandlingLevel),
                resolution?.OccurredAt ?? r.UpdatedAt, resolution?.Note,
                PhotoIdList.Split(resolution?.PhotoIds).Where(shown.Contains).ToList());
        }).ToList();
    }
}
