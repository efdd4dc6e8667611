using Bunit;
using LianApi.Complaints;
using LianApi.Shared;
using LianApi.StaffConsole;
using LianApi.StaffConsole.Pages;
using LianApi.Staff;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// The wallboard's panel as a component (bUnit): each count in its card, the urgent cases coloured by their deadline, and the
/// street and department tables only for those who see the whole district.
/// </summary>
public sealed class WallPanelComponentTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 2, 0, 0, DateTimeKind.Utc);

    private static readonly StaffMember Dispatcher = new() { Id = 1, Name = "调度员王敏", Role = StaffRoles.Dispatcher, UnitLevel = HandlingLevel.District };
    private static readonly StaffMember CommunityWorker = new() { Id = 2, Name = "社工李娜", Role = StaffRoles.Community, UnitLevel = HandlingLevel.Community, UnitId = 7 };

    private static InboxItem Item(string trackingNo, DateTimeOffset? dueAt, bool overdue) => new(
        trackingNo, ComplaintStatus.Accepted, "已受理", HandlingLevel.Community, new NamedRef("gongyuanmen", "贡院门社区"), new NamedRef("sanitation", "环境卫生"),
        "楼道灯坏了", Now.AddDays(-1), dueAt, overdue, IsSupervised: false, UrgeCount: 0, ReopenCount: 0, ExtensionRequestedUntil: null,
        ContentReview: false, ContentUnchecked: false, ContactPhone: "138****5678", Version: 2, Channel: Channels.MiniProgram, Grid: null,
        WhistlePending: false, AllowedActions: []);

    private static WallFigures Figures(params InboxItem[] urgent) => new(
        new WallCounts { OpenCases = 42, NewCases = 5, DueSoon = 3, Overdue = 2, Supervised = 1, Whistled = 4 },
        CallBacks: 7, CallBacksMore: true,
        ByStreet: [new WallUnitRow { Name = "北院门街道", OpenCases = 30, DueSoon = 2, Overdue = 1 }],
        ByDepartment: [new WallUnitRow { Name = "区城管局", OpenCases = 12, DueSoon = 1, Overdue = 1 }],
        MostUrgent: urgent, Version: 99, At: Now);

    [Test]
    public void Counts_EachInItsCard_WithTheVersionTheScriptCompares()
    {
        using var bunit = new BunitContext();
        var panel = bunit.Render<WallPanel>(p => p.Add(x => x.Figures, Figures()).Add(x => x.Staff, Dispatcher));

        Assert.Multiple(() =>
        {
            Assert.That(panel.Find("#count-new .value").TextContent, Is.EqualTo("5"));
            Assert.That(panel.Find("#count-due-soon .value").TextContent, Is.EqualTo("3"));
            Assert.That(panel.Find("#count-overdue .value").TextContent, Is.EqualTo("2"));
            Assert.That(panel.Find("#count-supervised .value").TextContent, Is.EqualTo("1"));
            Assert.That(panel.Find("#count-whistled .value").TextContent, Is.EqualTo("4"));
            Assert.That(panel.Find("#count-call-backs .value").TextContent, Is.EqualTo("7+"), "more waiting than counted");
            Assert.That(panel.Find("#count-open .value").TextContent, Is.EqualTo("42"));
            Assert.That(panel.Find(".wall-panel").GetAttribute("data-version"), Is.EqualTo("99"));
            Assert.That(panel.Find(".empty").TextContent, Does.Contain("没有在办案件"));
        });
    }

    [Test]
    public void UrgentCases_OverdueRed_DueWithinADayYellow_LaterPlain()
    {
        using var bunit = new BunitContext();
        var panel = bunit.Render<WallPanel>(p => p
            .Add(x => x.Figures, Figures(
                Item("LH20261205-0001", Now.AddHours(-3), overdue: true),
                Item("LH20261206-0002", Now.AddHours(5), overdue: false),
                Item("LH20261206-0003", Now.AddDays(3), overdue: false)))
            .Add(x => x.Staff, Dispatcher));

        var rows = panel.FindAll("table.urgent tbody tr");
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(3));
            Assert.That(rows[0].ClassName, Is.EqualTo("overdue"));
            Assert.That(rows[1].ClassName, Is.EqualTo("due-soon"));
            Assert.That(rows[2].ClassName ?? "", Is.Empty);
            Assert.That(rows[0].QuerySelector("a")!.GetAttribute("href"), Is.EqualTo("/console/cases/LH20261205-0001"));
            // Beijing time on the board: 2026-12-06 23:00 UTC is 12-07 07:00 in Xi'an.
            Assert.That(rows[0].TextContent, Does.Contain("2026-12-07 07:00"));
        });
    }

    [Test]
    public void StreetAndDepartmentTables_ForTheCenter_NotForACommunityWorker()
    {
        using var bunit = new BunitContext();
        var center = bunit.Render<WallPanel>(p => p.Add(x => x.Figures, Figures()).Add(x => x.Staff, Dispatcher));
        var community = bunit.Render<WallPanel>(p => p.Add(x => x.Figures, Figures()).Add(x => x.Staff, CommunityWorker));

        Assert.Multiple(() =>
        {
            Assert.That(center.Find("#by-street tbody tr").TextContent, Does.Contain("北院门街道"));
            Assert.That(center.Find("#by-department tbody tr").TextContent, Does.Contain("区城管局"));
            Assert.That(community.FindAll("#by-street"), Is.Empty);
            Assert.That(community.FindAll("#by-department"), Is.Empty);
        });
    }
}
