using System.ComponentModel;
using LianApi.Infrastructure;

namespace LianApi.Complaints;

/// <summary>The fields of a staff action's request, by their JSON names: what <see cref="ComplaintMachine.Fields"/> declares per action.</summary>
public static class ActionFields
{
    public const string Reason = "reason";
    public const string Reply = "reply";
    public const string Note = "note";
    public const string NewDueAt = "newDueAt";
    public const string Target = "target";
    public const string PhotoIds = "photoIds";
    public const string AssigneeId = "assigneeId";
    public const string Resolved = "resolved";
    public const string Satisfaction = "satisfaction";
    public const string Comment = "comment";
}

/// <summary>What one action needs (required) and takes (optional) besides its name; any other field is ignored, photos refused.</summary>
public sealed record ActionFieldSet(IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
{
    public IEnumerable<string> All => Required.Concat(Optional);

    /// <summary>The same set with <paramref name="field"/> moved from optional to required.</summary>
    public ActionFieldSet Requiring(string field) => new([.. Required, field], [.. Optional.Where(f => f != field)]);
}

/// <summary>An action this staff member may take on this case now, with the fields its request needs and takes.</summary>
public sealed record AllowedAction(
    [property: OpenApiEnum(typeof(ComplaintActions))]
    [property: Description("The action: POST /api/staff/complaints/{trackingNo}/{action}")] string Action,
    [property: Description("The fields the request must carry, by their JSON names (e.g. reply for resolve; photoIds too when the category requires a resolution photo)")] IReadOnlyList<string> Required,
    [property: Description("The fields the request may carry besides")] IReadOnlyList<string> Optional);
