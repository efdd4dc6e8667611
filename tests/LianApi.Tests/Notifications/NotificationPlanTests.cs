using LianApi.Complaints;
using LianApi.Notifications;
using LianApi.Shared;

namespace LianApi.Tests.Notifications;

/// <summary>Which transition tells whom what: the plan the outbox writes, without a database.</summary>
public sealed class NotificationPlanTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 3, 57, 0, DateTimeKind.Utc);

    private static readonly Complaint Case = new()
    {
        Id = 7, TrackingNo = "LH20261202-0042", UserId = 3, Description = "楼道灯坏了，晚上看不见台阶", Status = ComplaintStatus.Accepted,
        HandlingLevel = HandlingLevel.Community, HandlingUnitId = 1, HandlingUnitName = "贡院门社区", CategoryName = "环境卫生",
    };

    private static List<(string Event, bool ToStaff, IReadOnlyDictionary<string, string> Facts)> Plan(Complaint after, Actor actor, params (string Kind, string? Note)[] events) =>
        NotificationOutbox.Plan(new ComplaintChange(Case, after, events.Select(e => new ComplaintEventRow { Kind = e.Kind, Note = e.Note, UnitName = after.HandlingUnitName }).ToList(), actor, Now))
            .Select(p => (p.Event, p.ToStaff, p.Facts)).ToList();

    [Test]
    public void Resolve_TellsTheResidentWithTheReplyAndTheInvitationToRate()
    {
        var plan = Plan(Case with { Status = ComplaintStatus.Resolved }, Actor.System, (EventKinds.Resolved, "灯已更换"));

        Assert.Multiple(() =>
        {
            Assert.That(plan.Select(p => (p.Event, p.ToStaff)), Is.EqualTo(new[] { (NotificationEvents.ComplaintResolved, false) }));
            Assert.That(plan[0].Facts[NotificationValues.Reply], Is.EqualTo("灯已更换"));
            Assert.That(plan[0].Facts[NotificationValues.Hint], Does.Contain("评价"));
            Assert.That(plan[0].Facts[NotificationValues.Time], Is.EqualTo("2026年12月2日 11:57"), "Beijing time");
        });
    }

    [Test]
    public void ReportRecordedByStaff_TellsNoResident()
    {
        var plan = Plan(Case with { Status = ComplaintStatus.Resolved, Channel = Channels.Hotline }, Actor.System, (EventKinds.Resolved, "灯已更换"));

        Assert.That(plan, Is.Empty);
    }

    [Test]
    public void Reject_TellsTheResidentTheReason()
    {
        var plan = Plan(Case with { Status = ComplaintStatus.Rejected }, Actor.System, (EventKinds.Rejected, "不属于受理范围"));

        Assert.That(plan.Single().Facts[NotificationValues.Reply], Is.EqualTo("不属于受理范围"));
        Assert.That(plan.Single().Event, Is.EqualTo(NotificationEvents.ComplaintRejected));
    }

    [Test]
    public void ClosedBySweepUnrated_TellsTheResident_ButARatedCloseDoesNot()
    {
        var unrated = Plan(Case with { Status = ComplaintStatus.Closed, CloseReason = CloseReasons.NotEvaluated }, Actor.System, (EventKinds.Closed, null));
        var rated = Plan(Case with { Status = ComplaintStatus.Closed, CloseReason = CloseReasons.Evaluated }, Actor.Resident(3),
            (EventKinds.Evaluated, null), (EventKinds.Closed, null));

        Assert.Multiple(() =>
        {
            Assert.That(unrated.Select(p => p.Event), Is.EqualTo(new[] { NotificationEvents.ComplaintClosedUnrated }));
            Assert.That(rated, Is.Empty);
        });
    }

    [Test]
    public void EscalationOverdueUrgeAndSupervision_TellTheStaffOfTheUnitHoldingTheCase()
    {
        var escalated = Plan(Case with { Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.Street, HandlingUnitName = "北院门街道" },
            Actor.System, (EventKinds.AutoEscalated, null), (EventKinds.Received, null));
        var overdue = Plan(Case with { IsOverdue = true }, Actor.System, (EventKinds.Overdue, "超过办理时限"));
        var urged = Plan(Case with { UrgeCount = 1 }, Actor.Resident(3), (EventKinds.Urged, null));
        var supervised = Plan(Case with { IsSupervised = true }, Actor.System, (EventKinds.Supervised, null));
        var note = Plan(Case, Actor.System, (EventKinds.Note, "内部备注"));

        Assert.Multiple(() =>
        {
            Assert.That(escalated.Select(p => (p.Event, p.ToStaff)), Is.EqualTo(new[] { (NotificationEvents.StaffCaseReceived, true) }));
            Assert.That(escalated[0].Facts[NotificationValues.Unit], Is.EqualTo("北院门街道"));
            Assert.That(overdue.Select(p => p.Event), Is.EqualTo(new[] { NotificationEvents.StaffCaseOverdue }));
            Assert.That(urged.Select(p => p.Event), Is.EqualTo(new[] { NotificationEvents.StaffCaseUrged }));
            Assert.That(supervised.Select(p => p.Event), Is.EqualTo(new[] { NotificationEvents.StaffCaseSupervised }));
            Assert.That(note, Is.Empty, "an internal note tells nobody");
        });
    }
}
