using LianApi.Calendar;
using LianApi.Complaints;
using LianApi.Staff;

using LianApi.Shared;

namespace LianApi.Tests.Complaints;

/// <summary>
/// The pure state machine of the response chain. States and staff are built by hand; time and the calendar are
/// values, so nothing here touches a clock or a database.
/// </summary>
public sealed class ComplaintMachineTests
{
    private const long CommunityId = 11;
    private const long StreetId = 21;
    private const long DepartmentId = 31;
    private const string CommunityName = "测试甲社区";
    private const string StreetName = "测试街道";
    private const string DepartmentName = "测试区市政局";

    private const string Ok = "ok";

    private static readonly string[] Roles =
        [StaffRoles.Community, StaffRoles.Street, StaffRoles.Department, StaffRoles.Dispatcher, StaffRoles.Admin, StaffRoles.Volunteer];

    private static readonly string[] Statuses =
    [
        ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress,
        ComplaintStatus.Resolved, ComplaintStatus.Closed, ComplaintStatus.Rejected,
    ];

    /// <summary>
    /// What each role may do, as the handler of the case, in each status. Written from the rules, not from the
    /// machine: a row per role, a column per status. ok = allowed; 403 = never for this role; 409 = not in this status.
    /// </summary>
    private static readonly Dictionary<string, string[]> Matrix = new()
    {
        // Only a new case can be accepted (签收).
        [ComplaintActions.Accept] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   409  409  409  409  409", // community
            "    ok   409  409  409  409  409", // street
            "    ok   409  409  409  409  409", // department
            "    ok   409  409  409  409  409", // dispatcher
            "    ok   409  409  409  409  409", // admin
            "    403  403  403  403  403  403", // volunteer: records reports, acts on none
        ],
        [ComplaintActions.Start] =
        [
            //   sub  acc  inp  res  clo  rej
            "    409  ok   409  409  409  409",
            "    409  ok   409  409  409  409",
            "    409  ok   409  409  409  409",
            "    409  ok   409  409  409  409",
            "    409  ok   409  409  409  409",
            "    403  403  403  403  403  403",
        ],
        // Escalation (上报) is how a community or street office hands a case up; there is nothing above the center.
        [ComplaintActions.Escalate] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   ok   ok   409  409  409",
            "    ok   ok   ok   409  409  409",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
        ],
        // Dispatch (派单) is the center's, for an open case it holds: waiting, or accepted by the center itself.
        [ComplaintActions.Dispatch] =
        [
            //   sub  acc  inp  res  clo  rej
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    ok   ok   ok   409  409  409",
            "    ok   ok   ok   409  409  409",
            "    403  403  403  403  403  403",
        ],
        // A return (退单) gives an open case back to the center.
        [ComplaintActions.Return] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   ok   ok   409  409  409",
            "    ok   ok   ok   409  409  409",
            "    ok   ok   ok   409  409  409",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
        ],
        // A unit asks for more time only while it is handling the case.
        [ComplaintActions.RequestExtension] =
        [
            //   sub  acc  inp  res  clo  rej
            "    409  ok   ok   409  409  409",
            "    409  ok   ok   409  409  409",
            "    409  ok   ok   409  409  409",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
        ],
        // The center decides on a pending request (the fixture has one in every status, as a stale one would be)
        // only while the case is being handled: a decision must never touch an archived or a waiting case.
        [ComplaintActions.ApproveExtension] =
        [
            //   sub  acc  inp  res  clo  rej
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    409  ok   ok   409  409  409",
            "    409  ok   ok   409  409  409",
            "    403  403  403  403  403  403",
        ],
        [ComplaintActions.DenyExtension] =
        [
            //   sub  acc  inp  res  clo  rej
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    409  ok   ok   409  409  409",
            "    409  ok   ok   409  409  409",
            "    403  403  403  403  403  403",
        ],
        [ComplaintActions.Resolve] =
        [
            //   sub  acc  inp  res  clo  rej
            "    409  ok   ok   409  409  409",
            "    409  ok   ok   409  409  409",
            "    409  ok   ok   409  409  409",
            "    409  ok   ok   409  409  409",
            "    409  ok   ok   409  409  409",
            "    403  403  403  403  403  403",
        ],
        // 不予受理: before or right after accepting, never once work has started.
        [ComplaintActions.Reject] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   ok   409  409  409  409",
            "    ok   ok   409  409  409  409",
            "    ok   ok   409  409  409  409",
            "    ok   ok   409  409  409  409",
            "    ok   ok   409  409  409  409",
            "    403  403  403  403  403  403",
        ],
        // Internal notes are always possible, even on an archived case.
        [ComplaintActions.Note] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   ok   ok   ok   ok   ok",
            "    ok   ok   ok   ok   ok   ok",
            "    ok   ok   ok   ok   ok   ok",
            "    ok   ok   ok   ok   ok   ok",
            "    ok   ok   ok   ok   ok   ok",
            "    403  403  403  403  403  403",
        ],
        // Writing to the resident stops when the case is closed or rejected.
        [ComplaintActions.Reply] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   ok   ok   ok   409  409",
            "    ok   ok   ok   ok   409  409",
            "    ok   ok   ok   ok   409  409",
            "    ok   ok   ok   ok   409  409",
            "    ok   ok   ok   ok   409  409",
            "    403  403  403  403  403  403",
        ],
        [ComplaintActions.Supervise] =
        [
            //   sub  acc  inp  res  clo  rej
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    ok   ok   ok   ok   409  409",
            "    ok   ok   ok   ok   409  409",
            "    403  403  403  403  403  403",
        ],
        // 指派: a community hands an open case to one of its grid workers.
        [ComplaintActions.Assign] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   ok   ok   409  409  409",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
        ],
        // 吹哨: a community or street office holding an open case sends it to a paired department.
        [ComplaintActions.Whistle] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   ok   ok   409  409  409",
            "    ok   ok   ok   409  409  409",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
        ],
        // 回访: the handling unit records the rating of a resident it called back, on a resolved case only; the center
        // also checks a rated one (the fixture's closed case was rated), which changes nothing but the record.
        [ComplaintActions.EvaluateByPhone] =
        [
            //   sub  acc  inp  res  clo  rej
            "    409  409  409  ok   409  409",
            "    409  409  409  ok   409  409",
            "    409  409  409  ok   409  409",
            "    409  409  409  ok   ok   409",
            "    409  409  409  ok   ok   409",
            "    403  403  403  403  403  403",
        ],
        // A flagged case (the fixture sets contentReview); a closed or rejected case's text may still need a look.
        [ComplaintActions.ContentReviewed] =
        [
            //   sub  acc  inp  res  clo  rej
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    ok   ok   ok   ok   ok   ok ",
            "    ok   ok   ok   ok   ok   ok ",
            "    403  403  403  403  403  403",
        ],
        // 改派/收回: the center takes an open case from whoever holds it (here with a target).
        [ComplaintActions.Reassign] =
        [
            //   sub  acc  inp  res  clo  rej
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    403  403  403  403  403  403",
            "    ok   ok   ok   409  409  409",
            "    ok   ok   ok   409  409  409",
            "    403  403  403  403  403  403",
        ],
        // 办结公示: the center or the handling unit withdraws a consented case from the public wall, in any status (before it
        // ever appears, too); a volunteer acts on nothing.
        [ComplaintActions.Unpublish] =
        [
            //   sub  acc  inp  res  clo  rej
            "    ok   ok   ok   ok   ok   ok ",
            "    ok   ok   ok   ok   ok   ok ",
            "    ok   ok   ok   ok   ok   ok ",
            "    ok   ok   ok   ok   ok   ok ",
            "    ok   ok   ok   ok   ok   ok ",
            "    403  403  403  403  403  403",
        ],
    };

    // Fri 2026-11-27 10:00 China.
    private static readonly DateTime Received = ChinaTime(2026, 11, 27, 10);
    private static readonly DateTime Now = Received.AddHours(2);

    private static readonly ActionInput EverythingGiven = new(
        Reason: "测试理由", Reply: "测试答复", Note: "测试备注", NewDueAt: Now.AddDays(30),
        Target: new DispatchTarget(HandlingLevel.Department, DepartmentId, DepartmentName),
        Assignee: new AssigneeTarget(9, "测试网格员"), Resolved: true, Satisfaction: Satisfaction.Satisfied, Comment: "电话里说修好了");

    private static IEnumerable<TestCaseData> MatrixCases()
    {
        foreach (var (action, rows) in Matrix)
        {
            for (var r = 0; r < Roles.Length; r++)
            {
                var cells = Cells(rows[r]);
                for (var s = 0; s < Statuses.Length; s++)
                {
                    yield return new TestCaseData(action, Roles[r], Statuses[s], cells[s])
                        .SetArgDisplayNames(action, Roles[r], Statuses[s], cells[s]);
                }
            }
        }
    }

    [Test]
    public void Matrix_EveryStaffActionRoleAndStatus_HasExactlyOneExpectation()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Matrix.Keys, Is.EquivalentTo(ComplaintActions.All), "a new action needs its row in the matrix");
            Assert.That(Roles, Is.EquivalentTo(StaffRoles.All), "a new role needs its row in the matrix");
            Assert.That(Statuses, Is.EquivalentTo(ComplaintStatus.Labels.Keys), "a new status needs its column in the matrix");
            foreach (var (action, rows) in Matrix)
            {
                Assert.That(rows, Has.Length.EqualTo(Roles.Length), action);
                Assert.That(rows.Select(Cells), Has.All.Length.EqualTo(Statuses.Length), action);
                Assert.That(rows.SelectMany(Cells), Has.All.AnyOf(Ok, "403", "409"), action);
            }
        });
    }

    [TestCaseSource(nameof(MatrixCases))]
    public void Apply_HandlerOfEachRoleInEachStatus_MatchesTheMatrix(string action, string role, string status, string expected)
    {
        var staff = StaffOf(role);
        var c = InStatus(HeldBy(role, NewCase()), status);
        if (action is ComplaintActions.ApproveExtension or ComplaintActions.DenyExtension)
        {
            c = c with { ExtensionRequestedUntil = Now.AddDays(10) };
        }
        if (action is ComplaintActions.ContentReviewed)
        {
            c = c with { ContentReview = true };
        }
        if (action is ComplaintActions.Unpublish)
        {
            c = c with { PublicConsent = true };
        }
        Assert.That(ComplaintMachine.IsHandler(staff, c) && ComplaintMachine.CanSee(staff, c), Is.EqualTo(role != StaffRoles.Volunteer),
            "the fixture must make the staff member the handler (a volunteer never is one)");

        var decision = ComplaintMachine.Apply(c, action, staff, EverythingGiven, Now, WorkingCalendar.WeekdaysOnly);

        var outcome = decision.Refusal is { } refusal ? refusal.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : Ok;
        var listed = ComplaintMachine.AllowedActions(staff, c, Now).Select(a => a.Action);
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(expected), decision.Refusal?.Detail);
            Assert.That(listed.Contains(action), Is.EqualTo(expected == Ok), "allowedActions lists exactly what the machine accepts");
            Assert.That(decision.Transition is null, Is.EqualTo(decision.Refusal is not null), "exactly one of transition and refusal");
        });
    }

    [TestCase(ComplaintActions.Accept, ComplaintStatus.Submitted)]
    [TestCase(ComplaintActions.Start, ComplaintStatus.Accepted)]
    [TestCase(ComplaintActions.Escalate, ComplaintStatus.Submitted)]
    [TestCase(ComplaintActions.Return, ComplaintStatus.InProgress)]
    [TestCase(ComplaintActions.RequestExtension, ComplaintStatus.Accepted)]
    [TestCase(ComplaintActions.Resolve, ComplaintStatus.InProgress)]
    [TestCase(ComplaintActions.Reject, ComplaintStatus.Submitted)]
    [TestCase(ComplaintActions.Reply, ComplaintStatus.InProgress)]
    public void Apply_CommunityAfterEscalationToStreet_Refused409(string action, string status)
    {
        var community = StaffOf(StaffRoles.Community);
        var atStreet = InStatus(HeldBy(StaffRoles.Street, NewCase()), status);

        var byCommunity = ComplaintMachine.Apply(atStreet, action, community, EverythingGiven, Now, WorkingCalendar.WeekdaysOnly);
        var byStreet = ComplaintMachine.Apply(atStreet, action, StaffOf(StaffRoles.Street), EverythingGiven, Now, WorkingCalendar.WeekdaysOnly);

        Assert.Multiple(() =>
        {
            Assert.That(ComplaintMachine.CanSee(community, atStreet), Is.True, "the community still sees its own case");
            Assert.That(byCommunity.Refusal?.StatusCode, Is.EqualTo(409), "in scope but no longer the handler");
            Assert.That(byStreet.Refusal, Is.Null, "the same action by the handler is allowed, so the 409 is about who acts");
        });
    }

    [Test]
    public void Apply_StreetOnItsCommunitysCase_SeesItButIsRefused409()
    {
        var street = StaffOf(StaffRoles.Street);
        // The street sees its community's new case, which the community holds.
        var c = NewCase();

        var decision = ComplaintMachine.Apply(c, ComplaintActions.Accept, street, EverythingGiven, Now, WorkingCalendar.WeekdaysOnly);

        Assert.Multiple(() =>
        {
            Assert.That(ComplaintMachine.CanSee(street, c), Is.True);
            Assert.That(ComplaintMachine.IsHandler(street, c), Is.False);
            Assert.That(decision.Refusal?.StatusCode, Is.EqualTo(409));
        });
    }

    [Test]
    public void CanSee_DepartmentAfterItReturnedTheCase_IsFalse()
    {
        // The case it returned waits at the center as submitted, still remembering the department it went to.
        var returned = HeldBy(StaffRoles.Dispatcher, NewCase()) with { DepartmentId = DepartmentId };
        var held = HeldBy(StaffRoles.Department, NewCase());

        Assert.Multiple(() =>
        {
            Assert.That(ComplaintMachine.CanSee(StaffOf(StaffRoles.Department), returned), Is.False, "a department's view follows the case");
            Assert.That(ComplaintMachine.CanSee(StaffOf(StaffRoles.Department), held), Is.True);
        });
    }

    [TestCaseSource(nameof(EveryStaffActionWithAllText))]
    public void Apply_AnyAction_StaffTextOtherThanReplyOrRejectReasonIsNeverPublic(string action, string role, Complaint c)
    {
        var input = new ActionInput(Reason: "INTERNAL-reason", Reply: "PUBLIC-reply", Note: "INTERNAL-note", NewDueAt: Now.AddDays(60),
            Target: new DispatchTarget(HandlingLevel.Department, DepartmentId, DepartmentName));

        var decision = ComplaintMachine.Apply(c, action, StaffOf(role), input, Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decision.Refusal, Is.Null, decision.Refusal?.Detail);
        var publicTexts = decision.Transition!.Events.Where(e => e.IsPublic).Select(e => e.Note).OfType<string>().ToList();
        var allowed = action == ComplaintActions.Reject ? new[] { "PUBLIC-reply", "INTERNAL-reason" } : ["PUBLIC-reply"];
        Assert.That(publicTexts.Where(t => t.Contains("INTERNAL") || t.Contains("PUBLIC")), Is.SubsetOf(allowed));
    }

    private static IEnumerable<TestCaseData> EveryStaffActionWithAllText()
    {
        var submitted = NewCase();
        var accepted = InStatus(NewCase(), ComplaintStatus.Accepted);
        var pending = accepted with { ExtensionRequestedUntil = accepted.ResolutionDueAt!.Value.AddDays(3) };
        var atCenter = HeldBy(StaffRoles.Dispatcher, NewCase());
        TestCaseData Case(string action, string role, Complaint c) => new TestCaseData(action, role, c).SetArgDisplayNames(action, role);
        yield return Case(ComplaintActions.Accept, StaffRoles.Community, submitted);
        yield return Case(ComplaintActions.Start, StaffRoles.Community, accepted);
        yield return Case(ComplaintActions.Escalate, StaffRoles.Community, submitted);
        yield return Case(ComplaintActions.Dispatch, StaffRoles.Dispatcher, atCenter);
        yield return Case(ComplaintActions.Return, StaffRoles.Community, accepted);
        yield return Case(ComplaintActions.RequestExtension, StaffRoles.Community, accepted);
        yield return Case(ComplaintActions.ApproveExtension, StaffRoles.Dispatcher, pending);
        yield return Case(ComplaintActions.DenyExtension, StaffRoles.Dispatcher, pending);
        yield return Case(ComplaintActions.Resolve, StaffRoles.Community, accepted);
        yield return Case(ComplaintActions.Reject, StaffRoles.Community, submitted);
        yield return Case(ComplaintActions.Note, StaffRoles.Community, accepted);
        yield return Case(ComplaintActions.Reply, StaffRoles.Community, accepted);
        yield return Case(ComplaintActions.Supervise, StaffRoles.Dispatcher, accepted);
    }

    [Test]
    public void Note_CommunityAfterEscalationToStreet_AllowedAndInternal()
    {
        var atStreet = HeldBy(StaffRoles.Street, NewCase());

        var decision = ComplaintMachine.Apply(atStreet, ComplaintActions.Note, StaffOf(StaffRoles.Community), new ActionInput(Note: "居民已电话沟通"), Now, WorkingCalendar.WeekdaysOnly);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Transition?.Next, Is.EqualTo(atStreet), "a note changes nothing but the timeline");
            Assert.That(decision.Transition?.Events, Is.EqualTo(new[] { new ComplaintEvent("note", "居民已电话沟通", IsPublic: false, CommunityName) }));
        });
    }

    [Test]
    public void Apply_RoleNeverAllowedAndNotHandler_Refused403NotConflict()
    {
        // The role check comes first: a department cannot escalate any case, held by it or not.
        var decision = ComplaintMachine.Apply(NewCase(), ComplaintActions.Escalate, StaffOf(StaffRoles.Department) with { UnitId = 999 },
            EverythingGiven, Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decision.Refusal?.StatusCode, Is.EqualTo(403));
    }

    [TestCase(ComplaintActions.Escalate, StaffRoles.Community, ComplaintStatus.Submitted, null)]
    [TestCase(ComplaintActions.Escalate, StaffRoles.Street, ComplaintStatus.Accepted, "   ")]
    [TestCase(ComplaintActions.Return, StaffRoles.Department, ComplaintStatus.InProgress, null)]
    [TestCase(ComplaintActions.Return, StaffRoles.Community, ComplaintStatus.Submitted, "")]
    [TestCase(ComplaintActions.Reject, StaffRoles.Street, ComplaintStatus.Submitted, null)]
    [TestCase(ComplaintActions.Reject, StaffRoles.Dispatcher, ComplaintStatus.Accepted, " ")]
    [TestCase(ComplaintActions.RequestExtension, StaffRoles.Community, ComplaintStatus.Accepted, null)]
    [TestCase(ComplaintActions.RequestExtension, StaffRoles.Department, ComplaintStatus.InProgress, "\t")]
    [TestCase(ComplaintActions.Resolve, StaffRoles.Department, ComplaintStatus.InProgress, null)]
    [TestCase(ComplaintActions.Resolve, StaffRoles.Admin, ComplaintStatus.Accepted, "  ")]
    [TestCase(ComplaintActions.Reply, StaffRoles.Street, ComplaintStatus.Submitted, null)]
    [TestCase(ComplaintActions.Reply, StaffRoles.Community, ComplaintStatus.Resolved, " ")]
    [TestCase(ComplaintActions.Note, StaffRoles.Community, ComplaintStatus.Closed, null)]
    [TestCase(ComplaintActions.Note, StaffRoles.Dispatcher, ComplaintStatus.Submitted, "  ")]
    public void Apply_RequiredTextMissing_Refused400(string action, string role, string status, string? blank)
    {
        var c = InStatus(HeldBy(role, NewCase()), status);
        // Every text blank; everything else (target, new deadline) given, so only the missing text can be refused.
        var input = EverythingGiven with { Reason = blank, Reply = blank, Note = blank };

        var decision = ComplaintMachine.Apply(c, action, StaffOf(role), input, Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decision.Refusal?.StatusCode, Is.EqualTo(400), decision.Refusal?.Detail);
    }

    [Test]
    public void Apply_EveryRequiredFieldMissing_EachNamedUnderItsKeyAtOnce()
    {
        var accepted = InStatus(HeldBy(StaffRoles.Community, NewCase()), ComplaintStatus.Accepted) with { CategoryRequiresResolutionPhoto = true };

        var resolve = ComplaintMachine.Apply(accepted, ComplaintActions.Resolve, StaffOf(StaffRoles.Community), new ActionInput(), Now, WorkingCalendar.WeekdaysOnly);
        var extension = ComplaintMachine.Apply(accepted, ComplaintActions.RequestExtension, StaffOf(StaffRoles.Community),
            new ActionInput(NewDueAt: Received), Now, WorkingCalendar.WeekdaysOnly);
        var photoOnly = ComplaintMachine.Apply(accepted, ComplaintActions.Resolve, StaffOf(StaffRoles.Community), new ActionInput(Reply: "已修复"), Now, WorkingCalendar.WeekdaysOnly);

        Assert.Multiple(() =>
        {
            Assert.That(resolve.Refusal?.StatusCode, Is.EqualTo(400));
            Assert.That(resolve.Refusal?.Errors?.Keys, Is.EquivalentTo(new[] { ActionFields.Reply, ActionFields.PhotoIds }));
            Assert.That(extension.Refusal?.Errors?.Keys, Is.EquivalentTo(new[] { ActionFields.Reason, ActionFields.NewDueAt }), "missing and invalid together");
            Assert.That(photoOnly.Refusal?.StatusCode, Is.EqualTo(422));
            Assert.That(photoOnly.Refusal?.Code, Is.EqualTo("resolution_photo_required"));
            Assert.That(photoOnly.Refusal?.Errors?.Keys, Is.EquivalentTo(new[] { ActionFields.PhotoIds }));
        });
    }

    [Test]
    public void Fields_EveryStaffAction_IsDeclaredOnce()
    {
        Assert.That(ComplaintMachine.Fields.Keys, Is.EquivalentTo(ComplaintActions.All));
        Assert.That(ComplaintMachine.AllowedRoles.Keys, Is.EquivalentTo(ComplaintActions.All));
    }

    [Test]
    public void Reassign_WithoutTarget_BackToTheCenter_WithAnInternalReason()
    {
        var atDepartment = InStatus(HeldBy(StaffRoles.Department, NewCase()), ComplaintStatus.InProgress);

        var next = Allowed(ComplaintMachine.Apply(atDepartment, ComplaintActions.Reassign, StaffOf(StaffRoles.Dispatcher),
            new ActionInput(Reason: "部门推诿，收回重派"), Now, WorkingCalendar.WeekdaysOnly));

        Assert.Multiple(() =>
        {
            Assert.That(next.Next.HandlingLevel, Is.EqualTo(HandlingLevel.District));
            Assert.That(next.Next.Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(next.Events.Select(e => (e.Kind, e.IsPublic)), Is.EqualTo(new[]
                { (EventKinds.Reassigned, true), (EventKinds.Note, false), (EventKinds.Received, true) }));
            Assert.That(next.Events.Single(e => e.Kind == EventKinds.Note).Note, Is.EqualTo("部门推诿，收回重派"));
        });
    }

    [Test]
    public void Reassign_CaseTheCenterHolds_NeedsATarget()
    {
        var atCenter = HeldBy(StaffRoles.Dispatcher, NewCase());

        var decision = ComplaintMachine.Apply(atCenter, ComplaintActions.Reassign, StaffOf(StaffRoles.Dispatcher), new ActionInput(Reason: "改派"), Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decision.Refusal?.Errors?.Keys, Is.EquivalentTo(new[] { ActionFields.Target }));
    }

    [Test]
    public void Dispatch_WithoutTarget_Refused400()
    {
        var atCenter = HeldBy(StaffRoles.Dispatcher, NewCase());

        var decision = ComplaintMachine.Apply(atCenter, ComplaintActions.Dispatch, StaffOf(StaffRoles.Dispatcher), EverythingGiven with { Target = null }, Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decision.Refusal?.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public void Dispatch_ToDepartment_DepartmentHoldsAndSeesItWithAFreshResponseClock()
    {
        var atCenter = HeldBy(StaffRoles.Dispatcher, NewCase()) with { IsOverdue = true };

        var next = Allowed(ComplaintMachine.Apply(atCenter, ComplaintActions.Dispatch, StaffOf(StaffRoles.Dispatcher), new ActionInput(Target: EverythingGiven.Target), Now, WorkingCalendar.WeekdaysOnly));

        var department = StaffOf(StaffRoles.Department);
        Assert.Multiple(() =>
        {
            Assert.That(next.Next.Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(next.Next.HandlingLevel, Is.EqualTo(HandlingLevel.Department));
            Assert.That(next.Next.HandlingUnitId, Is.EqualTo(DepartmentId));
            Assert.That(next.Next.DepartmentId, Is.EqualTo(DepartmentId));
            Assert.That(next.Next.ReceivedAt, Is.EqualTo(Now));
            Assert.That(next.Next.ResponseDueAt, Is.EqualTo(Now.AddHours(24)));
            Assert.That(next.Next.IsOverdue, Is.False, "the receiving unit starts on time");
            Assert.That(ComplaintMachine.CanSee(department, next.Next) && ComplaintMachine.IsHandler(department, next.Next), Is.True);
            Assert.That(next.Events.Select(e => e.Kind), Is.EqualTo(new[] { "dispatched", "received" }));
            Assert.That(next.Events[1].UnitName, Is.EqualTo(DepartmentName));
        });
    }

    [Test]
    public void Escalate_FromCommunityThenStreet_GoesToStreetThenDistrict()
    {
        var calendar = WorkingCalendar.WeekdaysOnly;
        var accepted = InStatus(NewCase(), ComplaintStatus.Accepted);
        var later = Now.AddHours(3);

        var toStreet = Allowed(ComplaintMachine.Apply(accepted, ComplaintActions.Escalate, StaffOf(StaffRoles.Community), new ActionInput(Reason: "需要街道协调"), Now, calendar));
        var toDistrict = Allowed(ComplaintMachine.Apply(toStreet.Next, ComplaintActions.Escalate, StaffOf(StaffRoles.Street), new ActionInput(Reason: "涉及多个部门"), later, calendar));

        Assert.Multiple(() =>
        {
            Assert.That(toStreet.Next.HandlingLevel, Is.EqualTo(HandlingLevel.Street));
            Assert.That(toStreet.Next.HandlingUnitId, Is.EqualTo(StreetId));
            Assert.That(toStreet.Next.Status, Is.EqualTo(ComplaintStatus.Submitted), "the street has to accept it itself");
            Assert.That(toStreet.Next.AcceptedAt, Is.Null);
            Assert.That(toStreet.Next.ResolutionDueAt, Is.Null);
            Assert.That(toStreet.Next.ReceivedAt, Is.EqualTo(Now));
            Assert.That(toStreet.Next.ResponseDueAt, Is.EqualTo(Now.AddHours(24)));
            Assert.That(toStreet.Events, Is.EqualTo(new[]
            {
                new ComplaintEvent("escalated", $"转至{StreetName}", IsPublic: true, CommunityName),
                new ComplaintEvent("note", "需要街道协调", IsPublic: false, CommunityName),
                new ComplaintEvent("received", null, IsPublic: true, StreetName),
            }));

            Assert.That(toDistrict.Next.HandlingLevel, Is.EqualTo(HandlingLevel.District));
            Assert.That(toDistrict.Next.HandlingUnitId, Is.Null);
            Assert.That(toDistrict.Next.Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(toDistrict.Next.ReceivedAt, Is.EqualTo(later));
            Assert.That(toDistrict.Next.ResponseDueAt, Is.EqualTo(later.AddHours(24)));
            Assert.That(toDistrict.Events.Select(e => e.Kind), Is.EqualTo(new[] { "escalated", "note", "received" }));
            Assert.That(ComplaintMachine.IsHandler(StaffOf(StaffRoles.Dispatcher), toDistrict.Next), Is.True);
        });
    }

    [Test]
    public void Return_FromDepartment_GoesToDistrictWithDeadlinesUnchanged()
    {
        var inProgress = InStatus(HeldBy(StaffRoles.Department, NewCase()), ComplaintStatus.InProgress) with { ExtensionRequestedUntil = Now.AddDays(10) };
        var muchLater = Now.AddDays(2);

        var returned = Allowed(ComplaintMachine.Apply(inProgress, ComplaintActions.Return, StaffOf(StaffRoles.Department), new ActionInput(Reason: "不属于本部门职责"), muchLater, WorkingCalendar.WeekdaysOnly));

        Assert.Multiple(() =>
        {
            Assert.That(returned.Next.Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(returned.Next.HandlingLevel, Is.EqualTo(HandlingLevel.District));
            Assert.That(returned.Next.HandlingUnitId, Is.Null);
            Assert.That(returned.Next.AcceptedAt, Is.Null);
            // The clock keeps running: a return must not buy anyone time.
            Assert.That(returned.Next.ReceivedAt, Is.EqualTo(inProgress.ReceivedAt));
            Assert.That(returned.Next.ResponseDueAt, Is.EqualTo(inProgress.ResponseDueAt));
            Assert.That(returned.Next.ResolutionDueAt, Is.EqualTo(inProgress.ResolutionDueAt));
            Assert.That(returned.Next.ExtensionRequestedUntil, Is.Null, "the unit that asked for more time gave the case away");
            Assert.That(returned.Events, Is.EqualTo(new[] { new ComplaintEvent("returned", "不属于本部门职责", IsPublic: false, DepartmentName) }));
        });
    }

    [Test]
    public void Accept_AcrossWeekendAndHoliday_ResolutionDueIsWorkingDaysAfterReceipt()
    {
        // Synthetic: Monday 2026-11-30 off. Received Fri 10:00 with 3 working days: Tue, Wed, Thu → Thu 10:00 China.
        var calendar = new WorkingCalendar(new Dictionary<DateOnly, bool> { [new DateOnly(2026, 11, 30)] = false });
        var acceptedAt = Received.AddDays(1);

        var accepted = Allowed(ComplaintMachine.Apply(NewCase(), ComplaintActions.Accept, StaffOf(StaffRoles.Community), new ActionInput(), acceptedAt, calendar));

        Assert.Multiple(() =>
        {
            Assert.That(accepted.Next.Status, Is.EqualTo(ComplaintStatus.Accepted));
            Assert.That(accepted.Next.AcceptedAt, Is.EqualTo(acceptedAt));
            Assert.That(accepted.Next.ResolutionDueAt, Is.EqualTo(calendar.AddWorkingDays(Received, 3)));
            Assert.That(accepted.Next.ResolutionDueAt, Is.EqualTo(ChinaTime(2026, 12, 3, 10)), "counted from receipt, not from acceptance");
            Assert.That(accepted.Next.IsOverdue, Is.False);
            Assert.That(accepted.Events, Is.EqualTo(new[] { new ComplaintEvent("accepted", null, IsPublic: true, CommunityName) }));
        });
    }

    [Test]
    public void Accept_AfterTheResolutionDeadline_AcceptedAlreadyOverdue()
    {
        var accepted = Allowed(ComplaintMachine.Apply(NewCase(), ComplaintActions.Accept, StaffOf(StaffRoles.Community), new ActionInput(), Received.AddDays(10), WorkingCalendar.WeekdaysOnly));

        Assert.That(accepted.Next.IsOverdue, Is.True);
    }

    [Test]
    public void RequestExtension_ThenApprove_MovesResolutionDue()
    {
        var accepted = InStatus(NewCase(), ComplaintStatus.Accepted) with { IsOverdue = true };
        var until = accepted.ResolutionDueAt!.Value.AddDays(5);

        var requested = Allowed(ComplaintMachine.Apply(accepted, ComplaintActions.RequestExtension, StaffOf(StaffRoles.Community), new ActionInput(Reason: "等待配件", NewDueAt: until), Now, WorkingCalendar.WeekdaysOnly));
        var again = ComplaintMachine.Apply(requested.Next, ComplaintActions.RequestExtension, StaffOf(StaffRoles.Community), new ActionInput(Reason: "再延", NewDueAt: until.AddDays(1)), Now, WorkingCalendar.WeekdaysOnly);
        // The center approves a request of a case a community holds: approving needs no handler.
        var approved = Allowed(ComplaintMachine.Apply(requested.Next, ComplaintActions.ApproveExtension, StaffOf(StaffRoles.Dispatcher), new ActionInput(Note: "同意"), Now, WorkingCalendar.WeekdaysOnly));

        Assert.Multiple(() =>
        {
            Assert.That(requested.Next.ExtensionRequestedUntil, Is.EqualTo(until));
            Assert.That(requested.Next.ResolutionDueAt, Is.EqualTo(accepted.ResolutionDueAt), "a request alone moves nothing");
            Assert.That(requested.Events, Is.EqualTo(new[] { new ComplaintEvent("extension_requested", "等待配件", IsPublic: false, CommunityName) }));
            Assert.That(again.Refusal?.StatusCode, Is.EqualTo(409), "one pending request at a time");
            Assert.That(approved.Next.ResolutionDueAt, Is.EqualTo(until));
            Assert.That(approved.Next.ExtensionRequestedUntil, Is.Null);
            Assert.That(approved.Next.IsOverdue, Is.False, "the new deadline is still ahead");
            Assert.That(approved.Events.Select(e => (e.Kind, e.IsPublic)), Is.EqualTo(new[] { ("extension_approved", true), ("note", false) }));
        });
    }

    [Test]
    public void RequestExtension_ThenDeny_KeepsResolutionDue()
    {
        var accepted = InStatus(NewCase(), ComplaintStatus.InProgress);
        var requested = Allowed(ComplaintMachine.Apply(accepted, ComplaintActions.RequestExtension, StaffOf(StaffRoles.Community), new ActionInput(Reason: "等待配件", NewDueAt: accepted.ResolutionDueAt!.Value.AddDays(5)), Now, WorkingCalendar.WeekdaysOnly));

        var denied = Allowed(ComplaintMachine.Apply(requested.Next, ComplaintActions.DenyExtension, StaffOf(StaffRoles.Admin), new ActionInput(), Now, WorkingCalendar.WeekdaysOnly));

        Assert.Multiple(() =>
        {
            Assert.That(denied.Next.ResolutionDueAt, Is.EqualTo(accepted.ResolutionDueAt));
            Assert.That(denied.Next.ExtensionRequestedUntil, Is.Null);
            Assert.That(denied.Events.Select(e => e.Kind), Is.EqualTo(new[] { "extension_denied" }));
        });
    }

    [TestCase(null)]
    [TestCase(0)]
    [TestCase(-60)]
    public void RequestExtension_NewDueNotLaterThanTheDeadline_Refused400(int? minutesAfterDeadline)
    {
        var accepted = InStatus(NewCase(), ComplaintStatus.Accepted);
        DateTime? until = minutesAfterDeadline is { } m ? accepted.ResolutionDueAt!.Value.AddMinutes(m) : null;

        var decision = ComplaintMachine.Apply(accepted, ComplaintActions.RequestExtension, StaffOf(StaffRoles.Community), new ActionInput(Reason: "等待配件", NewDueAt: until), Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decision.Refusal?.StatusCode, Is.EqualTo(400));
    }

    [TestCase(ComplaintActions.ApproveExtension)]
    [TestCase(ComplaintActions.DenyExtension)]
    public void DecideExtension_NoPendingRequest_Refused409(string decision)
    {
        var inProgress = InStatus(NewCase(), ComplaintStatus.InProgress);

        var decided = ComplaintMachine.Apply(inProgress, decision, StaffOf(StaffRoles.Dispatcher), new ActionInput(), Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decided.Refusal?.StatusCode, Is.EqualTo(409));
    }

    [TestCase(ComplaintActions.ApproveExtension)]
    [TestCase(ComplaintActions.DenyExtension)]
    public void DecideExtension_RequestPendingWhenTheCaseWasRejected_Refused409(string decision)
    {
        // A rejected case is archived: deciding on its leftover request must not touch its deadlines or priority.
        var accepted = InStatus(NewCase(), ComplaintStatus.Accepted);
        var community = StaffOf(StaffRoles.Community);
        var requested = Allowed(ComplaintMachine.Apply(accepted, ComplaintActions.RequestExtension, community, new ActionInput(Reason: "等待配件", NewDueAt: accepted.ResolutionDueAt!.Value.AddDays(5)), Now, WorkingCalendar.WeekdaysOnly));
        var rejected = Allowed(ComplaintMachine.Apply(requested.Next, ComplaintActions.Reject, community, new ActionInput(Reason: "不属于受理范围"), Now, WorkingCalendar.WeekdaysOnly));

        var decided = ComplaintMachine.Apply(rejected.Next, decision, StaffOf(StaffRoles.Dispatcher), new ActionInput(), Now.AddDays(30), WorkingCalendar.WeekdaysOnly);

        Assert.That(decided.Refusal?.StatusCode, Is.EqualTo(409),
            $"{decision} was allowed on a rejected case (ResolutionDueAt {decided.Transition?.Next.ResolutionDueAt:u}, IsOverdue {decided.Transition?.Next.IsOverdue})");
    }

    [Test]
    public void Resolve_ByDepartment_RemembersTheLevelForAReopen()
    {
        var inProgress = InStatus(HeldBy(StaffRoles.Department, NewCase()), ComplaintStatus.InProgress) with { IsOverdue = true };

        var resolved = Allowed(ComplaintMachine.Apply(inProgress, ComplaintActions.Resolve, StaffOf(StaffRoles.Department), new ActionInput(Reply: "已修复", Note: "更换了灯具"), Now, WorkingCalendar.WeekdaysOnly));

        Assert.Multiple(() =>
        {
            Assert.That(resolved.Next.Status, Is.EqualTo(ComplaintStatus.Resolved));
            Assert.That(resolved.Next.ResolvedAt, Is.EqualTo(Now));
            Assert.That(resolved.Next.LastHandlingLevel, Is.EqualTo(HandlingLevel.Department));
            Assert.That(resolved.Next.LastHandlingUnitId, Is.EqualTo(DepartmentId));
            Assert.That(resolved.Events, Is.EqualTo(new[]
            {
                new ComplaintEvent("resolved", "已修复", IsPublic: true, DepartmentName),
                new ComplaintEvent("note", "更换了灯具", IsPublic: false, DepartmentName),
            }));
        });
    }

    private static IEnumerable<string> NotResolvedStatuses() => Statuses.Where(s => s != ComplaintStatus.Resolved);

    [TestCaseSource(nameof(NotResolvedStatuses))]
    public void Evaluate_NotResolved_Refused409(string status)
    {
        var decision = ComplaintMachine.Evaluate(InStatus(NewCase(), status), true, Satisfaction.Satisfied, null, Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decision.Refusal?.StatusCode, Is.EqualTo(409));
    }

    [TestCase(Satisfaction.Satisfied)]
    [TestCase(Satisfaction.BasicallySatisfied)]
    public void Evaluate_ResolvedAndSatisfied_Closed(string satisfaction)
    {
        var resolved = ResolvedBy(StaffRoles.Community);

        var closed = Allowed(ComplaintMachine.Evaluate(resolved, true, satisfaction, "谢谢", Now, WorkingCalendar.WeekdaysOnly));

        Assert.Multiple(() =>
        {
            Assert.That(closed.Next.Status, Is.EqualTo(ComplaintStatus.Closed));
            Assert.That(closed.Next.ClosedAt, Is.EqualTo(Now));
            Assert.That(closed.Next.CloseReason, Is.EqualTo("evaluated"));
            Assert.That(closed.Next.ReopenCount, Is.Zero);
            Assert.That(closed.Events.Select(e => (e.Kind, e.Note, e.IsPublic)), Is.EqualTo(new[] { ("evaluated", (string?)"谢谢", true), ("closed", null, true) }));
        });
    }

    [TestCase(true, Satisfaction.Unsatisfied)]
    [TestCase(false, Satisfaction.Satisfied)]
    [TestCase(false, Satisfaction.BasicallySatisfied)]
    [TestCase(false, Satisfaction.Unsatisfied)]
    public void Evaluate_UnsatisfiedOrNotResolved_ReopenedAtTheLastHandlerWithANewDeadline(bool wasResolved, string satisfaction)
    {
        // Synthetic: Tue 2026-12-01 off. Rated Mon 11-30 09:00 China with 3 working days: Wed, Thu, Fri.
        var calendar = new WorkingCalendar(new Dictionary<DateOnly, bool> { [new DateOnly(2026, 12, 1)] = false });
        var ratedAt = ChinaTime(2026, 11, 30, 9);
        var resolved = ResolvedBy(StaffRoles.Department);

        var reopened = Allowed(ComplaintMachine.Evaluate(resolved, wasResolved, satisfaction, "还是不亮", ratedAt, calendar));

        Assert.Multiple(() =>
        {
            Assert.That(reopened.Next.Status, Is.EqualTo(ComplaintStatus.InProgress));
            Assert.That(reopened.Next.HandlingLevel, Is.EqualTo(HandlingLevel.Department));
            Assert.That(reopened.Next.HandlingUnitId, Is.EqualTo(DepartmentId));
            Assert.That(reopened.Next.ReopenCount, Is.EqualTo(1));
            Assert.That(reopened.Next.ResolvedAt, Is.Null);
            Assert.That(reopened.Next.ReceivedAt, Is.EqualTo(ratedAt));
            Assert.That(reopened.Next.ResolutionDueAt, Is.EqualTo(calendar.AddWorkingDays(ratedAt, 3)));
            Assert.That(reopened.Next.ResolutionDueAt, Is.EqualTo(ChinaTime(2026, 12, 4, 9)));
            Assert.That(reopened.Next.IsOverdue, Is.False);
            Assert.That(reopened.Next.IsSupervised, Is.False, "the first reopens stay with the unit");
            Assert.That(ComplaintMachine.IsHandler(StaffOf(StaffRoles.Department), reopened.Next), Is.True);
            Assert.That(reopened.Events.Select(e => e.Kind), Is.EqualTo(new[] { "evaluated", "reopened" }));
        });
    }

    [Test]
    public void Evaluate_ThirdReopen_GoesToDistrictSupervised()
    {
        var secondRound = ResolvedBy(StaffRoles.Street) with { ReopenCount = 1 };
        var thirdRound = ResolvedBy(StaffRoles.Street) with { ReopenCount = 2 };

        var second = Allowed(ComplaintMachine.Evaluate(secondRound, false, Satisfaction.Unsatisfied, null, Now, WorkingCalendar.WeekdaysOnly));
        var third = Allowed(ComplaintMachine.Evaluate(thirdRound, false, Satisfaction.Unsatisfied, null, Now, WorkingCalendar.WeekdaysOnly));

        Assert.Multiple(() =>
        {
            Assert.That(second.Next.ReopenCount, Is.EqualTo(2));
            Assert.That(second.Next.HandlingLevel, Is.EqualTo(HandlingLevel.Street), "the second reopen still goes back to the street");
            Assert.That(second.Next.IsSupervised, Is.False);

            Assert.That(third.Next.ReopenCount, Is.EqualTo(3));
            Assert.That(third.Next.HandlingLevel, Is.EqualTo(HandlingLevel.District));
            Assert.That(third.Next.HandlingUnitId, Is.Null);
            Assert.That(third.Next.IsSupervised, Is.True);
            Assert.That(third.Next.Status, Is.EqualTo(ComplaintStatus.Submitted), "the center has to take it on");
            Assert.That(third.Next.ReceivedAt, Is.EqualTo(Now));
            Assert.That(third.Next.ResponseDueAt, Is.EqualTo(Now.AddHours(24)));
            Assert.That(third.Events.Select(e => e.Kind), Is.EqualTo(new[] { "evaluated", "reopened", "received" }));
            Assert.That(ComplaintMachine.IsHandler(StaffOf(StaffRoles.Dispatcher), third.Next), Is.True);
        });
    }

    [TestCase(ComplaintStatus.Submitted)]
    [TestCase(ComplaintStatus.Accepted)]
    [TestCase(ComplaintStatus.InProgress)]
    public void Urge_OpenCase_CountedOncePerDay(string status)
    {
        var open = InStatus(NewCase(), status);

        var first = Allowed(ComplaintMachine.Urge(open, Now));
        var tooSoon = ComplaintMachine.Urge(first.Next, Now.AddDays(1).AddSeconds(-1));
        var nextDay = Allowed(ComplaintMachine.Urge(first.Next, Now.AddDays(1)));

        Assert.Multiple(() =>
        {
            Assert.That(first.Next.UrgeCount, Is.EqualTo(1));
            Assert.That(first.Next.LastUrgedAt, Is.EqualTo(Now));
            Assert.That(first.Events, Is.EqualTo(new[] { new ComplaintEvent("urged", null, IsPublic: true) }));
            Assert.That(tooSoon.Refusal?.StatusCode, Is.EqualTo(429));
            Assert.That(nextDay.Next.UrgeCount, Is.EqualTo(2));
            Assert.That(nextDay.Next.LastUrgedAt, Is.EqualTo(Now.AddDays(1)));
        });
    }

    [TestCase(ComplaintStatus.Resolved)]
    [TestCase(ComplaintStatus.Closed)]
    [TestCase(ComplaintStatus.Rejected)]
    public void Urge_NobodyHasToAct_Refused409(string status)
    {
        // Urged an hour ago too: the status is the answer, not the waiting time.
        var c = InStatus(NewCase(), status) with { UrgeCount = 1, LastUrgedAt = Now.AddHours(-1) };

        var decision = ComplaintMachine.Urge(c, Now);

        Assert.That(decision.Refusal?.StatusCode, Is.EqualTo(409));
    }

    [Test]
    public void Sweep_SubmittedPastResponseDue_EscalatesCommunityToStreetThenDistrictThenMarksOverdueOnce()
    {
        var c = NewCase();
        var first = c.ResponseDueAt.AddMinutes(1);

        var toStreet = ComplaintMachine.Sweep(c, first);
        var stillAtStreet = ComplaintMachine.Sweep(toStreet!.Next, first);
        var second = toStreet.Next.ResponseDueAt.AddMinutes(1);
        var toDistrict = ComplaintMachine.Sweep(toStreet.Next, second);
        var third = toDistrict!.Next.ResponseDueAt.AddMinutes(1);
        var overdue = ComplaintMachine.Sweep(toDistrict.Next, third);
        var again = ComplaintMachine.Sweep(overdue!.Next, third.AddDays(3));

        Assert.Multiple(() =>
        {
            Assert.That(toStreet.Next.HandlingLevel, Is.EqualTo(HandlingLevel.Street));
            Assert.That(toStreet.Next.HandlingUnitId, Is.EqualTo(StreetId));
            Assert.That(toStreet.Next.Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(toStreet.Next.ReceivedAt, Is.EqualTo(first));
            Assert.That(toStreet.Next.ResponseDueAt, Is.EqualTo(first.AddHours(24)));
            Assert.That(toStreet.Events.Select(e => (e.Kind, e.IsPublic, e.UnitName)), Is.EqualTo(new[] { ("auto_escalated", true, "系统"), ("received", true, StreetName) }));
            Assert.That(stillAtStreet, Is.Null, "the street's own response time has only just started");

            Assert.That(toDistrict.Next.HandlingLevel, Is.EqualTo(HandlingLevel.District));
            Assert.That(toDistrict.Next.HandlingUnitId, Is.Null);
            Assert.That(toDistrict.Next.ResponseDueAt, Is.EqualTo(second.AddHours(24)));
            Assert.That(toDistrict.Events[0].Kind, Is.EqualTo("auto_escalated"));

            Assert.That(overdue.Next.HandlingLevel, Is.EqualTo(HandlingLevel.District), "there is nothing above the center");
            Assert.That(overdue.Next.IsOverdue, Is.True);
            Assert.That(overdue.Next.ResponseDueAt, Is.EqualTo(toDistrict.Next.ResponseDueAt));
            Assert.That(overdue.Events.Select(e => e.Kind), Is.EqualTo(new[] { "overdue" }));
            Assert.That(again, Is.Null, "overdue is marked once");
        });
    }

    [Test]
    public void Sweep_SubmittedAtDepartmentPastResponseDue_MarkedOverdueOnce()
    {
        var atDepartment = HeldBy(StaffRoles.Department, NewCase());
        var late = atDepartment.ResponseDueAt.AddSeconds(1);

        var overdue = ComplaintMachine.Sweep(atDepartment, late);
        var again = ComplaintMachine.Sweep(overdue!.Next, late.AddHours(1));

        Assert.Multiple(() =>
        {
            Assert.That(overdue.Next.IsOverdue, Is.True);
            Assert.That(overdue.Next.HandlingLevel, Is.EqualTo(HandlingLevel.Department), "a department's late case stays with it");
            Assert.That(overdue.Events.Select(e => e.Kind), Is.EqualTo(new[] { "overdue" }));
            Assert.That(again, Is.Null);
        });
    }

    [TestCase(ComplaintStatus.Accepted)]
    [TestCase(ComplaintStatus.InProgress)]
    public void Sweep_HandledPastResolutionDue_MarkedOverdueOnce(string status)
    {
        var handled = InStatus(NewCase(), status);
        var late = handled.ResolutionDueAt!.Value.AddMinutes(1);

        var overdue = ComplaintMachine.Sweep(handled, late);
        var again = ComplaintMachine.Sweep(overdue!.Next, late.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(overdue.Next.IsOverdue, Is.True);
            Assert.That(overdue.Next.Status, Is.EqualTo(status));
            Assert.That(overdue.Next.HandlingLevel, Is.EqualTo(HandlingLevel.Community));
            Assert.That(overdue.Events.Select(e => (e.Kind, e.IsPublic)), Is.EqualTo(new[] { ("overdue", false) }));
            Assert.That(again, Is.Null);
        });
    }

    [Test]
    public void Sweep_ResolvedMoreThanSevenDaysAgo_ClosedNotEvaluated()
    {
        var resolved = ResolvedBy(StaffRoles.Community);
        var late = resolved.ResolvedAt!.Value.AddDays(7).AddMinutes(1);

        var closed = ComplaintMachine.Sweep(resolved, late);

        Assert.Multiple(() =>
        {
            Assert.That(closed?.Next.Status, Is.EqualTo(ComplaintStatus.Closed));
            Assert.That(closed?.Next.CloseReason, Is.EqualTo("not_evaluated"), "never counted as satisfied");
            Assert.That(closed?.Next.ClosedAt, Is.EqualTo(late));
            Assert.That(closed?.Events.Select(e => (e.Kind, e.IsPublic)), Is.EqualTo(new[] { ("closed", true) }));
            Assert.That(ComplaintMachine.Sweep(closed!.Next, late.AddDays(30)), Is.Null);
        });
    }

    private static IEnumerable<TestCaseData> NothingDue()
    {
        var c = NewCase();
        yield return new TestCaseData(c, c.ResponseDueAt.AddMinutes(-1)).SetArgDisplayNames("submitted, before the response deadline");
        yield return new TestCaseData(c, c.ResponseDueAt).SetArgDisplayNames("submitted, exactly at the response deadline");
        var accepted = InStatus(c, ComplaintStatus.Accepted);
        yield return new TestCaseData(accepted, accepted.ResponseDueAt.AddDays(1)).SetArgDisplayNames("accepted, response deadline long past but resolution ahead");
        yield return new TestCaseData(accepted with { IsOverdue = true }, accepted.ResolutionDueAt!.Value.AddDays(1)).SetArgDisplayNames("accepted, already marked overdue");
        var resolved = ResolvedBy(StaffRoles.Community);
        yield return new TestCaseData(resolved, resolved.ResolvedAt!.Value.AddDays(6)).SetArgDisplayNames("resolved 6 days ago");
        yield return new TestCaseData(resolved, resolved.ResolvedAt!.Value.AddDays(7)).SetArgDisplayNames("resolved exactly 7 days ago");
        var closed = InStatus(c, ComplaintStatus.Closed);
        yield return new TestCaseData(closed, Now.AddDays(100)).SetArgDisplayNames("closed");
        var rejected = InStatus(c, ComplaintStatus.Rejected);
        yield return new TestCaseData(rejected, Now.AddDays(100)).SetArgDisplayNames("rejected");
    }

    [TestCaseSource(nameof(NothingDue))]
    public void Sweep_NothingDue_ReturnsNull(Complaint c, DateTime now)
    {
        Assert.That(ComplaintMachine.Sweep(c, now), Is.Null);
    }

    private static readonly DispatchTarget PairedDepartment = new(HandlingLevel.Department, DepartmentId, DepartmentName);

    private static Complaint Whistled(DateTime at)
    {
        var whistle = Allowed(ComplaintMachine.Apply(NewCase(), ComplaintActions.Whistle, StaffOf(StaffRoles.Community),
            new ActionInput(Reason: "需要执法", Target: PairedDepartment), at, WorkingCalendar.WeekdaysOnly));
        return whistle.Next with { HandlingUnitName = DepartmentName };
    }

    [Test]
    public void Whistle_GoesStraightToTheDepartment_WhichHasTheResponseHoursToReport()
    {
        var next = Whistled(Now);

        Assert.Multiple(() =>
        {
            Assert.That(next.HandlingLevel, Is.EqualTo(HandlingLevel.Department));
            Assert.That(next.HandlingUnitId, Is.EqualTo(DepartmentId));
            Assert.That(next.DepartmentId, Is.EqualTo(DepartmentId));
            Assert.That(next.Status, Is.EqualTo(ComplaintStatus.Submitted));
            Assert.That(next.WhistlePending, Is.True);
            Assert.That(next.ResponseDueAt, Is.EqualTo(Now.AddHours(24)));
            Assert.That(next.NextSweepAt, Is.EqualTo(next.ResponseDueAt));
        });
    }

    [TestCase(23, EventKinds.Reported)]
    [TestCase(25, EventKinds.ReportedLate)]
    public void Accept_OfAWhistle_IsTheDepartmentsReport_OnTimeOrLate(int hoursLater, string kind)
    {
        var whistled = Whistled(Now);

        var accepted = Allowed(ComplaintMachine.Apply(whistled, ComplaintActions.Accept, StaffOf(StaffRoles.Department), new ActionInput(),
            Now.AddHours(hoursLater), WorkingCalendar.WeekdaysOnly));

        Assert.Multiple(() =>
        {
            Assert.That(accepted.Events.Select(e => e.Kind), Is.EqualTo(new[] { EventKinds.Accepted, kind }));
            Assert.That(accepted.Next.WhistlePending, Is.False);
        });
    }

    [Test]
    public void Sweep_WhistleNotReportedInTime_GoesToTheDispatchCenterSupervised()
    {
        var whistled = Whistled(Now);
        var at = whistled.ResponseDueAt.AddMinutes(1);

        var swept = ComplaintMachine.Sweep(whistled, at)!;

        Assert.Multiple(() =>
        {
            Assert.That(swept.Next.HandlingLevel, Is.EqualTo(HandlingLevel.District));
            Assert.That(swept.Next.IsSupervised, Is.True);
            Assert.That(swept.Next.WhistlePending, Is.False);
            Assert.That(swept.Events.Select(e => e.Kind), Is.EqualTo(new[] { EventKinds.WhistleOverdue, EventKinds.Received }));
            Assert.That(swept.Events[0].Note, Does.Contain(DepartmentName));
            Assert.That(ComplaintMachine.Sweep(whistled, whistled.ResponseDueAt), Is.Null, "not before the deadline has passed");
        });
    }

    [Test]
    public void Dispatch_ThePendingWhistle_TheCenterRedirectsIt_ButNotOnceReported()
    {
        var whistled = Whistled(Now);
        var elsewhere = new ActionInput(Target: new DispatchTarget(HandlingLevel.Street, StreetId, StreetName));
        var reported = Allowed(ComplaintMachine.Apply(whistled, ComplaintActions.Accept, StaffOf(StaffRoles.Department), new ActionInput(), Now, WorkingCalendar.WeekdaysOnly)).Next;

        var redirected = Allowed(ComplaintMachine.Apply(whistled, ComplaintActions.Dispatch, StaffOf(StaffRoles.Dispatcher), elsewhere, Now, WorkingCalendar.WeekdaysOnly));
        var late = ComplaintMachine.Apply(reported, ComplaintActions.Dispatch, StaffOf(StaffRoles.Dispatcher), elsewhere, Now, WorkingCalendar.WeekdaysOnly);

        Assert.Multiple(() =>
        {
            Assert.That(redirected.Next.HandlingLevel, Is.EqualTo(HandlingLevel.Street));
            Assert.That(redirected.Next.WhistlePending, Is.False);
            Assert.That(late.Refusal?.StatusCode, Is.EqualTo(409));
        });
    }

    [TestCase(ComplaintActions.Return)]
    [TestCase(ComplaintActions.Reject)]
    public void ReturnOrReject_OfAPendingWhistle_EndsTheWait(string action)
    {
        var next = Allowed(ComplaintMachine.Apply(Whistled(Now), action, StaffOf(StaffRoles.Department), new ActionInput(Reason: "不属本部门职责"), Now, WorkingCalendar.WeekdaysOnly)).Next;

        Assert.That(next.WhistlePending, Is.False);
    }

    [Test]
    public void Whistle_CaseAlreadyWithTheDistrict_Is409()
    {
        var atCenter = HeldBy(StaffRoles.Dispatcher, NewCase());
        var community = StaffOf(StaffRoles.Community);

        var decision = ComplaintMachine.Apply(atCenter, ComplaintActions.Whistle, community, new ActionInput(Reason: "r", Target: PairedDepartment), Now, WorkingCalendar.WeekdaysOnly);

        Assert.That(decision.Refusal?.StatusCode, Is.EqualTo(409));
    }

    [Test]
    public void GridWorker_SeesAndHandlesTheirGridAndTheirAssignedCasesOnly()
    {
        var worker = StaffOf(StaffRoles.Community) with { Id = 9, GridId = 71 };
        var inGrid = NewCase() with { GridId = 71 };
        var otherGrid = NewCase() with { GridId = 72 };
        var noGrid = NewCase();
        var assigned = otherGrid with { AssignedStaffId = 9 };

        Assert.Multiple(() =>
        {
            Assert.That(ComplaintMachine.IsHandler(worker, inGrid) && ComplaintMachine.CanSee(worker, inGrid), Is.True);
            Assert.That(ComplaintMachine.IsHandler(worker, assigned) && ComplaintMachine.CanSee(worker, assigned), Is.True);
            Assert.That(ComplaintMachine.CanSee(worker, otherGrid) || ComplaintMachine.IsHandler(worker, otherGrid), Is.False);
            Assert.That(ComplaintMachine.CanSee(worker, noGrid), Is.False);
            Assert.That(ComplaintMachine.CanSee(StaffOf(StaffRoles.Community), otherGrid), Is.True, "community staff without a grid see the whole community");
        });
    }

    [Test]
    public void Volunteer_SeesOnlyWhatTheyRecorded_AndHandlesNothing()
    {
        var volunteer = StaffOf(StaffRoles.Volunteer);
        var theirs = NewCase() with { RecordedByStaffId = volunteer.Id };
        var residents = NewCase() with { RecordedByStaffId = null };

        Assert.Multiple(() =>
        {
            Assert.That(ComplaintMachine.CanSee(volunteer, theirs), Is.True);
            Assert.That(ComplaintMachine.CanSee(volunteer, residents), Is.False);
            Assert.That(ComplaintMachine.IsHandler(volunteer, theirs), Is.False);
        });
    }

    private static string[] Cells(string row) => row.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static DateTime ChinaTime(int year, int month, int day, int hour) =>
        new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Utc) - TimeSpan.FromHours(8);

    private static Transition Allowed(Decision decision)
    {
        Assert.That(decision.Refusal, Is.Null, decision.Refusal?.Detail);
        return decision.Transition!;
    }

    /// <summary>A sanitation report (24 h to accept, 3 working days to resolve) just filed at its community.</summary>
    private static Complaint NewCase() => new()
    {
        Id = 7,
        TrackingNo = "LH20261127-0007",
        Version = 1,
        UserId = 500,
        CommunityId = CommunityId,
        StreetId = StreetId,
        CommunityName = CommunityName,
        StreetName = StreetName,
        ResponseHours = 24,
        ResolutionWorkingDays = 3,
        Status = ComplaintStatus.Submitted,
        HandlingLevel = HandlingLevel.Community,
        HandlingUnitId = CommunityId,
        ReceivedAt = Received,
        ResponseDueAt = Received.AddHours(24),
        // Recorded by the volunteer on the resident's behalf, so a call back (evaluate-by-phone) applies.
        RecordedByStaffId = 6,
        Channel = Channels.DoorKnock,
    };

    /// <summary>The fields a case in <paramref name="status"/> has after getting there the ordinary way.</summary>
    private static Complaint InStatus(Complaint c, string status)
    {
        var accepted = c with { Status = status, AcceptedAt = Received.AddHours(1), ResolutionDueAt = ChinaTime(2026, 12, 2, 10) };
        return status switch
        {
            ComplaintStatus.Submitted => c,
            ComplaintStatus.Accepted or ComplaintStatus.InProgress => accepted,
            ComplaintStatus.Resolved => accepted with
            {
                ResolvedAt = Received.AddDays(1), LastHandlingLevel = c.HandlingLevel, LastHandlingUnitId = c.HandlingUnitId,
            },
            ComplaintStatus.Closed => accepted with { ResolvedAt = Received.AddDays(1), ClosedAt = Received.AddDays(2), CloseReason = "evaluated" },
            ComplaintStatus.Rejected => c with { Status = status, ClosedAt = Received.AddHours(1), CloseReason = "rejected" },
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
    }

    /// <summary>The case as held by the unit a staff member of <paramref name="role"/> works for.</summary>
    private static Complaint HeldBy(string role, Complaint c) => role switch
    {
        StaffRoles.Community => c with { HandlingLevel = HandlingLevel.Community, HandlingUnitId = CommunityId },
        StaffRoles.Street => c with { HandlingLevel = HandlingLevel.Street, HandlingUnitId = StreetId },
        StaffRoles.Department => c with { HandlingLevel = HandlingLevel.Department, HandlingUnitId = DepartmentId, DepartmentId = DepartmentId },
        _ => c with { HandlingLevel = HandlingLevel.District, HandlingUnitId = null },
    };

    private static Complaint ResolvedBy(string role) => InStatus(HeldBy(role, NewCase()), ComplaintStatus.Resolved);

    private static StaffMember StaffOf(string role) => role switch
    {
        StaffRoles.Community => Member(1, role, HandlingLevel.Community, CommunityId, CommunityName),
        StaffRoles.Street => Member(2, role, HandlingLevel.Street, StreetId, StreetName),
        StaffRoles.Department => Member(3, role, HandlingLevel.Department, DepartmentId, DepartmentName),
        StaffRoles.Dispatcher => Member(4, role, HandlingLevel.District, null, "区调度中心"),
        StaffRoles.Admin => Member(5, role, HandlingLevel.District, null, "区调度中心"),
        StaffRoles.Volunteer => Member(6, role, HandlingLevel.Community, CommunityId, CommunityName),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    private static StaffMember Member(long id, string role, string level, long? unitId, string unitName) =>
        new() { Id = id, Name = "测试员" + id, Role = role, UnitLevel = level, UnitId = unitId, UnitName = unitName, UserId = 1000 + id, IsActive = true };

    [Test]
    public void Unpublish_ByAnotherUnit_NoConsent_Twice_WithoutReason_IsRefusedAndTheReasonStaysInternal()
    {
        var handler = StaffOf(StaffRoles.Community);
        var c = InStatus(HeldBy(StaffRoles.Community, NewCase()), ComplaintStatus.Resolved) with { PublicConsent = true };
        var otherUnit = handler with { UnitId = handler.UnitId + 100 };
        var input = new ActionInput(Reason: "居民电话要求撤下");

        var done = ComplaintMachine.Apply(c, ComplaintActions.Unpublish, handler, input, Now, WorkingCalendar.WeekdaysOnly).Transition!;
        Assert.Multiple(() =>
        {
            Assert.That(done.Next.Unpublished, Is.True);
            Assert.That(done.Events.Single().Kind, Is.EqualTo(EventKinds.Unpublished));
            Assert.That(done.Events.Single().IsPublic, Is.False, "the reason is internal");
            Assert.That(done.Events.Single().Note, Is.EqualTo("居民电话要求撤下"));
            Assert.That(ComplaintMachine.Apply(done.Next, ComplaintActions.Unpublish, handler, input, Now, WorkingCalendar.WeekdaysOnly).Refusal!.StatusCode, Is.EqualTo(409));
            Assert.That(ComplaintMachine.Apply(c with { PublicConsent = false }, ComplaintActions.Unpublish, handler, input, Now, WorkingCalendar.WeekdaysOnly).Refusal!.StatusCode, Is.EqualTo(409));
            Assert.That(ComplaintMachine.Apply(c, ComplaintActions.Unpublish, handler, new ActionInput(), Now, WorkingCalendar.WeekdaysOnly).Refusal!.StatusCode, Is.EqualTo(400));
            Assert.That(ComplaintMachine.Apply(c, ComplaintActions.Unpublish, otherUnit, input, Now, WorkingCalendar.WeekdaysOnly).Refusal!.StatusCode, Is.EqualTo(403));
        });
    }
}
