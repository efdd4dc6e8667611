using System.Globalization;
using LianApi.Complaints;
using LianApi.Shared;

namespace LianApi.StaffConsole;

/// <summary>
/// A staff action's form as the browser posts it: text fields, read into the API's own <see cref="StaffActionRequest"/>.
/// What a browser cannot say as the API's type (a date, a number) is a field error here, under the API's field name.
/// </summary>
public sealed class ActionForm
{
    public string? Reason { get; set; }
    public string? Reply { get; set; }
    public string? Note { get; set; }
    public string? NewDueAt { get; set; }
    /// <summary>"level:code", as the target list offers it; empty means none.</summary>
    public string? Target { get; set; }
    public string? PhotoIds { get; set; }
    public string? AssigneeId { get; set; }
    public string? Resolved { get; set; }
    public string? Satisfaction { get; set; }
    public string? Comment { get; set; }
    /// <summary>The case's version the form was shown with, sent as If-Match: acting on what the person saw, or a conflict.</summary>
    public int? Version { get; set; }

    public (StaffActionRequest Request, Dictionary<string, string[]> Errors) ToRequest()
    {
        var errors = new Dictionary<string, string[]>();
        static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
        DateTimeOffset? newDueAt = null;
        if (Blank(NewDueAt) is { } due)
        {
            if (ChinaTimeParameter.TryParse(due, CultureInfo.InvariantCulture, out var parsed))
            {
                newDueAt = parsed.Value;
            }
            else
            {
                errors["newDueAt"] = ["请按“年-月-日 时:分”选择北京时间"];
            }
        }
        DispatchTargetRequest? target = null;
        if (Blank(Target) is { } chosen)
        {
            var parts = chosen.Split(':', 2);
            target = new DispatchTargetRequest(parts[0], parts.Length > 1 ? parts[1] : null);
        }
        long? assignee = null;
        if (Blank(AssigneeId) is { } id)
        {
            if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                assignee = parsed;
            }
            else
            {
                errors["assigneeId"] = ["请从列表中选择网格员"];
            }
        }
        var photos = Blank(PhotoIds)?.Split([',', '，', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool? resolved = Blank(Resolved) switch { "true" => true, "false" => false, _ => null };
        return (new StaffActionRequest(Blank(Reason), Blank(Reply), Blank(Note), newDueAt, target, photos, assignee, resolved, Blank(Satisfaction), Blank(Comment)),
            errors);
    }
}
