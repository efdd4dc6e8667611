using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Notifications;
using LianApi.Staff;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// A staff event of a transition (arrived, returned, reopened, urged, supervised) as one WeCom row for the unit now
/// holding the case, written inside the transition's transaction: one INSERT appended to the transition's batch per
/// event, no extra round trip. The row exists only when the unit has a mapped member; its recipients are resolved when
/// it is sent. Overdue is left to the sweep's deadline warnings (超期), which also tell the dispatch center.
/// </summary>
public sealed class WecomOutbox(IOptionsMonitor<WecomOptions> options) : IComplaintChangeListener
{
    internal const string InsertForUnit = """
        INSERT INTO Notifications (Event, UserId, ComplaintId, TrackingNo, Facts, Status, Attempts, CreatedAt, DueAt, CreditReserved, Channel, UnitLevel, UnitId)
        SELECT @Event, NULL, @ComplaintId, @TrackingNo, @Facts, @Pending, 0, @Now, @Now, @False, @Channel, @Level, @UnitId
        WHERE EXISTS (SELECT 1 FROM Staff s
            WHERE s.IsActive = @True AND s.WecomUserId IS NOT NULL AND s.Role <> @Volunteer AND s.UnitLevel = @Level
              AND ((@UnitId IS NULL AND s.UnitId IS NULL) OR s.UnitId = @UnitId)
              AND (@ActorUserId IS NULL OR s.UserId IS NULL OR s.UserId <> @ActorUserId));
        """;

    // No name is the start of another, so each "@" + name is replaced exactly where it is meant.
    private static readonly string[] ParameterNames =
        ["ActorUserId", "ComplaintId", "TrackingNo", "Volunteer", "Pending", "Channel", "UnitId", "Event", "Facts", "False", "Level", "True", "Now"];

    public Task WriteAsync(WriteBatch batch, ComplaintChange change, CancellationToken ct)
    {
        if (!options.CurrentValue.Enabled)
        {
            return Task.CompletedTask;
        }
        var c = change.After;
        var index = 0;
        foreach (var planned in NotificationOutbox.Plan(change).Where(p => p.ToStaff && p.Event != NotificationEvents.StaffCaseOverdue))
        {
            var suffix = $"_w{index++}";
            batch.Append(ParameterNames.Aggregate(InsertForUnit, (text, name) => text.Replace("@" + name, "@" + name + suffix)), new DynamicParameters(new Dictionary<string, object?>
            {
                ["Event" + suffix] = planned.Event, ["ComplaintId" + suffix] = c.Id, ["TrackingNo" + suffix] = c.TrackingNo,
                ["Facts" + suffix] = WecomFacts.Write(FactsOf(c, planned.Facts, change.Actor.UserId)), ["Pending" + suffix] = NotificationStatus.Pending,
                ["Now" + suffix] = change.Now, ["False" + suffix] = false, ["True" + suffix] = true, ["Channel" + suffix] = WecomStore.Channel,
                ["ActorUserId" + suffix] = change.Actor.UserId, ["Level" + suffix] = c.HandlingLevel, ["UnitId" + suffix] = c.HandlingUnitId,
                ["Volunteer" + suffix] = StaffRoles.Volunteer,
            }));
        }
        return Task.CompletedTask;
    }

    /// <summary>The subscribe message's facts, and what a card adds: the running deadline, urgency, and who acted.</summary>
    internal static Dictionary<string, string> FactsOf(Complaint c, IReadOnlyDictionary<string, string> planned, long? actorUserId)
    {
        var facts = new Dictionary<string, string>(planned);
        if (c.DueAt is { } due)
        {
            facts[WecomFacts.Deadline] = WecomFacts.Time(due);
        }
        if (c.CategoryIsEmergency)
        {
            facts[WecomFacts.Urgent] = "1";
        }
        if (actorUserId is { } actor)
        {
            facts[WecomFacts.ActorUserId] = actor.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return facts;
    }
}
