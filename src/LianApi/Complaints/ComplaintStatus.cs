namespace LianApi.Complaints;

public static class ComplaintStatus
{
    public const string Submitted = "submitted";
    public const string Accepted = "accepted";
    public const string InProgress = "in_progress";
    public const string Resolved = "resolved";
    public const string Closed = "closed";
    public const string Rejected = "rejected";

    public static readonly string[] All = [Submitted, Accepted, InProgress, Resolved, Closed, Rejected];

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Submitted] = "待受理",
        [Accepted] = "已受理",
        [InProgress] = "处理中",
        [Resolved] = "已办结",
        [Closed] = "已归档",
        [Rejected] = "不予受理",
    };

    public static bool IsKnown(string status) => Labels.ContainsKey(status);
}
