using System.Text.RegularExpressions;
using LianApi.Infrastructure;

namespace LianApi.StaffConsole;

/// <summary>
/// The API's field errors as a person at the console reads them. The API names its JSON keys ("此操作需要填写 reply。") because
/// programs read it; the console speaks of the form's labels. The map is closed: an API key without a label is a programming
/// error that fails loudly (a test walks every key the API's action request and inbox query can produce).
/// </summary>
public static class ConsoleFieldErrors
{
    /// <summary>The summary above a form whose fields are marked, in place of the API's "check the fields listed in errors".</summary>
    public const string Summary = "请检查下面标出的内容。";

    public static readonly IReadOnlyDictionary<string, ConsoleField> ActionFields = new Dictionary<string, ConsoleField>
    {
        [Complaints.ActionFields.Reason] = new("理由", "请填写理由"),
        [Complaints.ActionFields.Reply] = new("答复居民（居民可见）", "请填写答复居民的内容"),
        [Complaints.ActionFields.Note] = new("内部备注（居民不可见）", "请填写内部备注"),
        [Complaints.ActionFields.NewDueAt] = new("新的办结期限（北京时间）", "请选择新的办结期限"),
        [Complaints.ActionFields.Target] = new("目标单位", "请选择目标单位"),
        // The API's validator names the parts of a target; on the form they are one list.
        ["target.level"] = new("目标单位", "请选择目标单位"),
        ["target.code"] = new("目标单位", "请选择目标单位"),
        [Complaints.ActionFields.PhotoIds] = new("办结照片（可多选，JPEG/PNG/WebP）", "请选择办结照片"),
        [Complaints.ActionFields.AssigneeId] = new("网格员", "请选择网格员"),
        [Complaints.ActionFields.Resolved] = new("问题是否解决", "请选择问题是否解决"),
        [Complaints.ActionFields.Satisfaction] = new("满意度", "请选择居民的满意度"),
        [Complaints.ActionFields.Comment] = new("居民原话", "请填写居民原话"),
        // A stale page: the form's hidden version, which the person never typed.
        ["If-Match"] = new("页面版本", "请刷新页面后重试"),
    };

    public static readonly IReadOnlyDictionary<string, ConsoleField> InboxFields = new Dictionary<string, ConsoleField>
    {
        ["status"] = new("状态", "请选择状态"),
        ["category"] = new("类别", "请选择类别"),
        ["overdue"] = new("超期", "请选择是否超期"),
        ["contentReview"] = new("内容复核", "请选择是否待复核"),
        ["contentUnchecked"] = new("内容未检", "请选择是否未检"),
        ["level"] = new("层级", "请选择层级"),
        ["community"] = new("社区编码", "请填写社区编码"),
        ["from"] = new("受理自", "请选择开始日期"),
        ["to"] = new("至", "请选择结束日期"),
        ["sort"] = new("排序", "请选择排序"),
        ["limit"] = new("每页件数", "请填写每页件数"),
        ["cursor"] = new("翻页位置", "请从第一页重新查询"),
        ["whistled"] = new("吹哨", "请选择吹哨"),
        ["q"] = new("查找", "请填写编号或文字"),
        ["phone"] = new("电话", "请填写电话"),
        ["department"] = new("部门编码", "请填写部门编码"),
        ["street"] = new("街道编码", "请填写街道编码"),
        ["grid"] = new("网格", "请填写网格"),
        ["channel"] = new("渠道", "请选择渠道"),
        ["assignee"] = new("网格员", "请选择网格员"),
    };

    public static readonly IReadOnlyDictionary<string, ConsoleField> StatsFields = new Dictionary<string, ConsoleField>
    {
        ["from"] = new("自", "请选择开始日期"),
        ["to"] = new("至", "请选择结束日期"),
        ["groupBy"] = new("分组", "请选择分组"),
        ["level"] = new("单位层级", "请选择单位层级"),
        ["code"] = new("单位编码", "请填写单位编码"),
        ["sort"] = new("排名依据", "请选择排名依据"),
        ["format"] = new("导出格式", "请选择导出格式"),
    };

    /// <summary>The field's label; an unknown key throws, so that a new API field cannot reach a person as its JSON name.</summary>
    public static ConsoleField Field(IReadOnlyDictionary<string, ConsoleField> form, string key) =>
        form.TryGetValue(key, out var field) ? field
            : throw new KeyNotFoundException($"The console has no label for the API's field \"{key}\"; add it to {nameof(ConsoleFieldErrors)}.");

    /// <summary>
    /// One API message for <paramref name="key"/> as the form says it: "missing" becomes the field's own prompt, and any other
    /// message keeps its words with the JSON name replaced by the label.
    /// </summary>
    public static string Message(IReadOnlyDictionary<string, ConsoleField> form, string key, string apiMessage)
    {
        var field = Field(form, key);
        var name = key.Split('.')[0];
        if (MissingMessages(name).Contains(apiMessage))
        {
            return field.Missing;
        }
        return JsonName(name).Replace(apiMessage, $"“{field.Label}”");
    }

    public static IEnumerable<string> Messages(IReadOnlyDictionary<string, ConsoleField> form, string key, IEnumerable<string> apiMessages) =>
        apiMessages.Select(m => Message(form, key, m)).Distinct();

    // What the state machine says when a required field is absent (ComplaintMachine.Check), read in the request's language.
    private static HashSet<string> MissingMessages(string key) =>
    [
        Text.Format(Resources.Messages.FieldRequiredForAction, key),
        Resources.Messages.FieldWhistleTarget,
        Resources.Messages.FieldAssignee,
        Resources.Messages.FieldPhoneEvaluation,
    ];

    private static Regex JsonName(string key) => new($"(?<![A-Za-z]){Regex.Escape(key)}(?![A-Za-z])", RegexOptions.CultureInvariant);
}
