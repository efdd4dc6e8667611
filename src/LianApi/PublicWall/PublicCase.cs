using System.ComponentModel;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Shared;

namespace LianApi.PublicWall;

/// <summary>
/// A case as the public sees it (办结公示): what was asked and what was done, never who asked or where exactly. Built
/// field by field from <see cref="PublicCaseRow"/>, which does not even read the resident's phone, name, address or
/// coordinates, so no later change of the view can leak them.
/// </summary>
public sealed record PublicCase(
    [property: Description("e.g. LH20261128-0042")] string TrackingNo,
    [property: OpenApiEnum(ComplaintStatus.Resolved, ComplaintStatus.Closed)]
    [property: Description("resolved (已办结, waiting for the resident's rating) or closed (已归档)")] string Status,
    [property: Description("The status in Chinese: 已办结 or 已归档")] string StatusLabel,
    NamedRef Category,
    NamedRef Community,
    NamedRef Street,
    [property: Description("The community's location (the same for every case of the community), never the resident's")] GeoPoint? Location,
    [property: Description("The first 60 characters of the report, with every run that reads as 7 or more digits masked (***) and a name after a cue shown by its surname only (王**); null while the text waits for the dispatch center's content review")] string? Summary,
    DateTimeOffset SubmittedAt,
    [property: Description("When the case was (last) resolved")] DateTimeOffset ResolvedAt,
    [property: Description("The unit that handled it (a community, street office, department or 区调度中心), never a person")] string HandledBy,
    [property: Description("The handling unit's public reply when it resolved the case, masked like the summary")] string? Reply,
    [property: Description("Photos of the result (办结照片) that WeChat's image check passed, signed links valid until expiresAt; pending, review and risky photos are left out")] IReadOnlyList<PhotoLink> Photos,
    [property: Description("The resident's rating, if they rated it; the comment is never published")] PublicRating? Rating);

public sealed record PublicRating(
    [property: Description("Did the resident say the problem was solved?")] bool Resolved,
    [property: OpenApiEnum(typeof(Satisfaction))]
    [property: Description("satisfied | basically_satisfied | unsatisfied")] string Satisfaction);

public sealed record PublicCounts(
    [property: Description("First day counted (Beijing): 1 January of this year")] DateOnly From,
    [property: Description("Last day counted (Beijing): today")] DateOnly To,
    [property: Description("受理量: cases submitted in the period for these filters, published or not (the same figure as the statistics)")] int Received,
    [property: Description("办结量: resolved, closed or not accepted by now")] int Handled,
    [property: Description("办结率 = handled ÷ received")] double? CompletionRate,
    [property: Description("满意率 = (satisfied + basically satisfied) ÷ rated")] double? SatisfactionRate);

public sealed record PublicCasePage(
    IReadOnlyList<PublicCase> Items,
    [property: Description("Pass as `cursor` to get the next page; null on the last page")] string? NextCursor,
    [property: Description("The district's figures for the same filters (community, street, category) this year: exactly what GET /api/staff/stats says for them")] PublicCounts Counts);

/// <summary>The columns of a public case: none of them personal (no UserId, phone, name, address, coordinates or notes).</summary>
public sealed record PublicCaseRow
{
    public long Id { get; init; }
    public string TrackingNo { get; init; } = "";
    public long CommunityId { get; init; }
    public long CategoryId { get; init; }
    public string Description { get; init; } = "";
    public string Status { get; init; } = "";
    public string HandlingLevel { get; init; } = "";
    public long? HandlingUnitId { get; init; }
    public DateTime SubmittedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? ClosedAt { get; init; }
    public DateTime? ResolutionDueAt { get; init; }
    public bool ContentReview { get; init; }
    public bool ContentUnchecked { get; init; }
    public bool? LastEvaluationResolved { get; init; }
    public string? LastSatisfaction { get; init; }
}

/// <summary>The public facts of a case beside its row: its latest resolution (reply, photos, time) and its names.</summary>
public sealed record PublicFacts(PublicCaseRow Row, CommunityRow Community, CategoryRow Category, string HandledBy,
    DateTime ResolvedAt, string? Reply, IReadOnlyList<string> PhotoIds)
{
    /// <summary>Text content safety has not cleared (review, or not checked) is withheld until the dispatch center reads it.</summary>
    public string? PublicText => Row.ContentReview || Row.ContentUnchecked ? null : PublicTexts.Mask(Row.Description);

    public string? Summary => PublicText is { } text ? TextSummary.Of(text) : null;

    public PublicCase AsPublicCase(Func<string, PhotoLink> link) => new(
        Row.TrackingNo, Row.Status, ComplaintStatus.Labels[Row.Status],
        new NamedRef(Category.Code, Category.Name), new NamedRef(Community.Code, Community.Name), new NamedRef(Community.StreetCode, Community.StreetName),
        Community.Latitude is { } lat && Community.Longitude is { } lng ? new GeoPoint(lat, lng) : null,
        Summary, Row.SubmittedAt.AsChinaTime(), ResolvedAt.AsChinaTime(), HandledBy, Reply is null ? null : PublicTexts.Mask(Reply),
        PhotoIds.Select(link).ToList(),
        Row.LastSatisfaction is { } satisfaction ? new PublicRating(Row.LastEvaluationResolved ?? false, satisfaction) : null);
}
