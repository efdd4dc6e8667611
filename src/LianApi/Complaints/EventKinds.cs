namespace LianApi.Complaints;

/// <summary>The kinds of timeline events; statistics and the sweep count by these, so they are facts, not strings.</summary>
public static class EventKinds
{
    public const string Submitted = "submitted";
    public const string Accepted = "accepted";
    public const string Started = "started";
    public const string Escalated = "escalated";
    public const string AutoEscalated = "auto_escalated";
    public const string Dispatched = "dispatched";
    public const string Received = "received";
    public const string Returned = "returned";
    public const string ExtensionRequested = "extension_requested";
    public const string ExtensionApproved = "extension_approved";
    public const string ExtensionDenied = "extension_denied";
    public const string Resolved = "resolved";
    public const string Rejected = "rejected";
    public const string Note = "note";
    public const string Replied = "replied";
    public const string Supervised = "supervised";
    public const string Overdue = "overdue";
    public const string Evaluated = "evaluated";
    public const string Reopened = "reopened";
    public const string Closed = "closed";
    public const string Urged = "urged";
    public const string Whistled = "whistled";
    public const string Reported = "reported";
    public const string ReportedLate = "reported_late";
    public const string WhistleOverdue = "whistle_overdue";
    public const string Assigned = "assigned";
    public const string EvaluatedByPhone = "evaluated_by_phone";
    public const string ContentChecked = "content_checked";
    public const string ContentReviewed = "content_reviewed";
    public const string Unpublished = "unpublished";
    public const string Reassigned = "reassigned";

    public static readonly string[] All =
    [
        Submitted, Accepted, Started, Escalated, AutoEscalated, Dispatched, Received, Returned, ExtensionRequested, ExtensionApproved,
        ExtensionDenied, Resolved, Rejected, Note, Replied, Supervised, Overdue, Evaluated, Reopened, Closed, Urged, Whistled, Reported,
        ReportedLate, WhistleOverdue, Assigned, EvaluatedByPhone, ContentChecked, ContentReviewed, Unpublished, Reassigned,
    ];

    /// <summary>What each kind says to a person reading the timeline.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Submitted] = "已提交",
        [Accepted] = "已受理",
        [Started] = "开始办理",
        [Escalated] = "已上报",
        [AutoEscalated] = "超时自动上报",
        [Dispatched] = "已派单",
        [Received] = "已接收",
        [Returned] = "已退单",
        [ExtensionRequested] = "申请延期",
        [ExtensionApproved] = "延期已批准",
        [ExtensionDenied] = "延期未批准",
        [Resolved] = "已办结",
        [Rejected] = "不予受理",
        [Note] = "内部备注",
        [Replied] = "已回复",
        [Supervised] = "已督办",
        [Overdue] = "已超时",
        [Evaluated] = "已评价",
        [Reopened] = "发回重办",
        [Closed] = "已归档",
        [Urged] = "已催办",
        [Whistled] = "已吹哨",
        [Reported] = "部门已报到",
        [ReportedLate] = "部门超时报到",
        [WhistleOverdue] = "超时未报到，转区调度中心督办",
        [Assigned] = "已指派网格员",
        [EvaluatedByPhone] = "电话回访评价",
        [ContentChecked] = "内容安全检测",
        [ContentReviewed] = "内容已复核",
        [Unpublished] = "撤下公示",
        [Reassigned] = "已改派",
    };

    /// <summary>The whole list, for the spec (a test keeps it equal to <see cref="Labels"/>).</summary>
    public const string Description =
        "What happened, one of: submitted, accepted, started, escalated, auto_escalated, dispatched, received, returned, extension_requested, " +
        "extension_approved, extension_denied, resolved, rejected, note, replied, supervised, overdue, evaluated, reopened, closed, urged, " +
        "whistled, reported, reported_late, whistle_overdue, assigned, evaluated_by_phone, content_checked, content_reviewed, unpublished, reassigned. " +
        "reassigned: the dispatch center took the case from the unit holding it (改派/收回). " +
        "content_checked, content_reviewed and unpublished (staff withdrew the case from the public wall, with the reason) are internal: what WeChat's content check said of the resident's text (with its label and " +
        "trace_id), and the dispatch center's review of flagged text. " +
        "kindLabel says it in Chinese.";

    public static string LabelOf(string kind) => Labels.GetValueOrDefault(kind, kind);
}
