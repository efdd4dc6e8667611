using System.Text.Json;
using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Shared;
using LianApi.Staff;
using LianApi.Notifications.Wecom;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications;

/// <summary>
/// Turns a case transition into outbox rows, inside the transition's own transaction: a message exists if and only if
/// the transition committed, and nothing is sent from the request. Only events with a configured template are written.
/// </summary>
public sealed class NotificationOutbox(IOptionsMonitor<NotificationOptions> options, IOptionsMonitor<WecomOptions> wecom) : IComplaintChangeListener
{
    /// <summary>One message to write: the event, who receives it (the resident, or the staff of the unit holding the case) and its values.</summary>
    internal sealed record Planned(string Event, bool ToStaff, IReadOnlyDictionary<string, string> Facts);

    internal const string InsertForResident = """
        INSERT INTO Notifications (Event, UserId, ComplaintId, TrackingNo, Facts, Status, Attempts, CreatedAt, DueAt, CreditReserved)
        VALUES (@Event, @UserId, @ComplaintId, @TrackingNo, @Facts, @Pending, 0, @Now, @Now, @False);
        """;

    // The active, bound staff of the unit now holding the case, in the roles that handle cases (grid volunteers are not
    // told about every case of their community); the one who acted is not told about their own action. With WeCom on,
    // staff mapped to a WeCom user id hear from WeCom instead (WecomOutbox).
    internal const string InsertForStaff = """
        INSERT INTO Notifications (Event, UserId, ComplaintId, TrackingNo, Facts, Status, Attempts, CreatedAt, DueAt, CreditReserved)
        SELECT @Event, s.UserId, @ComplaintId, @TrackingNo, @Facts, @Pending, 0, @Now, @Now, @False
        FROM Staff s
        WHERE s.IsActive = @True AND s.UserId IS NOT NULL AND (@ActorUserId IS NULL OR s.UserId <> @ActorUserId)
          AND s.Role <> @Volunteer AND s.UnitLevel = @Level AND ((@UnitId IS NULL AND s.UnitId IS NULL) OR s.UnitId = @UnitId)
          AND (@WecomOn = @False OR s.WecomUserId IS NULL);
        """;

    public Task WriteAsync(WriteBatch batch, ComplaintChange change, CancellationToken ct)
    {
        var templates = options.CurrentValue;
        var c = change.After;
        var index = 0;
        foreach (var planned in Plan(change).Where(p => templates.TemplateFor(p.Event) is not null))
        {
            // Named apart: the batch holds the transition's own statements and those of the other listeners.
            var suffix = $"_n{index++}";
            var sql = planned.ToStaff ? InsertForStaff : InsertForResident;
            batch.Append(ParameterNames.Aggregate(sql, (text, name) => text.Replace("@" + name, "@" + name + suffix)), new DynamicParameters(new Dictionary<string, object?>
            {
                ["Event" + suffix] = planned.Event, ["UserId" + suffix] = c.UserId, ["ComplaintId" + suffix] = c.Id, ["TrackingNo" + suffix] = c.TrackingNo,
                ["Facts" + suffix] = JsonSerializer.Serialize(planned.Facts), ["Pending" + suffix] = NotificationStatus.Pending, ["Now" + suffix] = change.Now,
                ["False" + suffix] = false, ["True" + suffix] = true, ["ActorUserId" + suffix] = change.Actor.UserId,
                ["Level" + suffix] = c.HandlingLevel, ["UnitId" + suffix] = c.HandlingUnitId, ["Volunteer" + suffix] = StaffRoles.Volunteer,
                ["WecomOn" + suffix] = wecom.CurrentValue.Enabled,
            }));
        }
        return Task.CompletedTask;
    }

    // No name is the start of another, so each "@" + name is replaced exactly where it is meant.
    private static readonly string[] ParameterNames =
        ["ActorUserId", "ComplaintId", "TrackingNo", "Volunteer", "WecomOn", "Pending", "UserId", "UnitId", "Event", "Facts", "False", "Level", "True", "Now"];

    /// <summary>What a change tells whom. Pure: the tests read it without a database.</summary>
    internal static IEnumerable<Planned> Plan(ComplaintChange change)
    {
        var c = change.After;
        var kinds = change.Added.Select(e => e.Kind).ToHashSet();
        var last = change.Added.Count > 0 ? change.Added[^1] : null;
        Dictionary<string, string> Facts(string status, string? unit, string? reply, string? hint) => new()
        {
            [NotificationValues.TrackingNo] = c.TrackingNo,
            [NotificationValues.Summary] = TextSummary.Of(c.Description),
            [NotificationValues.Status] = status,
            [NotificationValues.Unit] = unit ?? c.HandlingUnitName,
            [NotificationValues.Time] = KeywordValues.Format(change.Now),
            [NotificationValues.Reply] = reply ?? "",
            [NotificationValues.Category] = c.CategoryName,
            [NotificationValues.Hint] = hint ?? "",
        };
        ComplaintEventRow? Event(string kind) => change.Added.FirstOrDefault(e => e.Kind == kind);

        // The resident: accepted, resolved (with the invitation to rate), not accepted (with the reason), closed unrated.
        // A report staff recorded on a resident's behalf (door knock, hotline) has no mini-program user to tell.
        var toResident = c.Channel == Channels.MiniProgram;
        if (toResident && Event(EventKinds.Accepted) is { } accepted)
        {
            yield return new(NotificationEvents.ComplaintAccepted, false, Facts(ComplaintStatus.Labels[ComplaintStatus.Accepted], accepted.UnitName, null, "我们正在办理，请耐心等待"));
        }
        if (toResident && Event(EventKinds.Resolved) is { } resolved)
        {
            yield return new(NotificationEvents.ComplaintResolved, false, Facts(ComplaintStatus.Labels[ComplaintStatus.Resolved], resolved.UnitName, resolved.Note, "请在7日内对办理结果进行评价"));
        }
        if (toResident && Event(EventKinds.Rejected) is { } rejected)
        {
            yield return new(NotificationEvents.ComplaintRejected, false, Facts(ComplaintStatus.Labels[ComplaintStatus.Rejected], rejected.UnitName, rejected.Note, "如有疑问可重新提交诉求"));
        }
        if (toResident && kinds.Contains(EventKinds.Closed) && c.CloseReason == CloseReasons.NotEvaluated)
        {
            yield return new(NotificationEvents.ComplaintClosedUnrated, false, Facts(ComplaintStatus.Labels[ComplaintStatus.Closed], null, null, "7日内未评价，已自动归档"));
        }

        // The staff of the unit holding the case: it arrived in their inbox, became overdue, was urged or supervised.
        var staffStatus = ComplaintStatus.Labels[c.Status];
        if (change.Before is null || kinds.Contains(EventKinds.Received) || kinds.Contains(EventKinds.Returned) || kinds.Contains(EventKinds.Reopened))
        {
            yield return new(NotificationEvents.StaffCaseReceived, true, Facts(staffStatus, c.HandlingUnitName, null, last?.Kind == EventKinds.Reopened ? "群众不满意，发回重办" : "请及时签收"));
        }
        if (kinds.Contains(EventKinds.Overdue))
        {
            yield return new(NotificationEvents.StaffCaseOverdue, true, Facts(staffStatus, c.HandlingUnitName, null, "案件已超时，请尽快办理"));
        }
        if (kinds.Contains(EventKinds.Urged))
        {
            yield return new(NotificationEvents.StaffCaseUrged, true, Facts(staffStatus, c.HandlingUnitName, null, "群众催办，请尽快办理"));
        }
        if (kinds.Contains(EventKinds.Supervised))
        {
            yield return new(NotificationEvents.StaffCaseSupervised, true, Facts(staffStatus, c.HandlingUnitName, null, "区调度中心督办"));
        }
    }
}
