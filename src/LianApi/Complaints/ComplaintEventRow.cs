using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Shared;

namespace LianApi.Complaints;

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
