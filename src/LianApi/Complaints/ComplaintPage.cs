using System.ComponentModel;
using LianApi.Infrastructure;

namespace LianApi.Complaints;

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
