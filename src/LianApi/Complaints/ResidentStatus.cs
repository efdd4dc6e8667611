using LianApi.Shared;

namespace LianApi.Complaints;

/// <summary>
/// The status as the resident sees it. Within one round of handling (from submission, or from the resident's 发回重办)
/// it never goes back: a case that was accepted and is then passed on (escalated 上报, dispatched 派单, returned to the
/// dispatch center) stays accepted or in_progress while the next unit signs for it, and the label says where it went
/// ("已受理 · 上报街道"). Staff always see the real status.
/// </summary>
public static class ResidentStatus
{
    private static readonly string[] Open = [ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress];

    /// <summary>0 submitted, 1 accepted, 2 in_progress; every other status has no rank (it is shown as it is).</summary>
    public static int Rank(string status) => status switch
    {
        ComplaintStatus.Accepted => 1,
        ComplaintStatus.InProgress => 2,
        ComplaintStatus.Submitted or ComplaintStatus.Resolved or ComplaintStatus.Closed or ComplaintStatus.Rejected => 0,
        _ => throw Vocabulary.Unknown("statuses", status),
    };

    /// <summary>The furthest open status of the current round: the highest rank of the events since the last reopen.</summary>
    public static int RoundProgress(IEnumerable<ComplaintEventRow> events) => events.Aggregate(0, After);

    /// <summary>The round's progress after one more event (in order): a reopen starts a new round.</summary>
    public static int After(int progress, ComplaintEventRow e) => e.Kind == EventKinds.Reopened ? Rank(e.Status) : Math.Max(progress, Rank(e.Status));

    /// <summary>An open status is shown as the furthest reached in this round; resolved, closed and rejected as they are.</summary>
    public static string Of(string status, int roundProgress) =>
        Open.Contains(status) ? Open[Math.Max(Rank(status), roundProgress)] : status;

    /// <summary>
    /// The Chinese label: the resident status, plus where the case went while it waits for a unit other than the
    /// resident's community to accept it (上报街道, 上报区调度中心, 转派部门, 转派社区, 转派街道).
    /// </summary>
    public static string Label(Complaint c, string residentStatus)
    {
        var label = ComplaintStatus.Labels[residentStatus];
        if (c.Status != ComplaintStatus.Submitted || (c.HandlingLevel == HandlingLevel.Community && c.HandlingUnitId == c.CommunityId))
        {
            return label;
        }
        return label + " · " + c.HandlingLevel switch
        {
            HandlingLevel.Street when c.HandlingUnitId == c.StreetId => "上报街道",
            HandlingLevel.Street => "转派街道",
            HandlingLevel.District => "上报" + DispatchCenter.Name,
            HandlingLevel.Department => "转派部门",
            HandlingLevel.Community => "转派社区",
            _ => throw Vocabulary.Unknown("handling levels", c.HandlingLevel),
        };
    }
}
