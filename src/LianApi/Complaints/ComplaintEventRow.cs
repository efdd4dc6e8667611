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
    /// <summary>The staff member who acted (ComplaintEvents.StaffId joined to Staff); null for residents and the system.</summary>
    public string? StaffName { get; init; }
    public string? StaffUnitName { get; init; }
    public string? StaffRole { get; init; }
}
