using System.Globalization;
using LianApi.Complaints;
using LianApi.Shared;
using LianApi.Staff;

namespace LianApi.StaffConsole.Pages;

/// <summary>What the console's pages print: Beijing times and the Chinese names of actions, fields, levels and roles.</summary>
public static class ConsoleText
{
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    public static string Time(DateTime utc) => ChinaTime.ToChina(utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>For a datetime-local input: Beijing wall-clock time, which the API reads as Beijing time.</summary>
    public static string LocalInput(DateTimeOffset value) => value.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public static readonly IReadOnlyDictionary<string, string> Actions = new Dictionary<string, string>
    {
        [ComplaintActions.Accept] = "签收",
        [ComplaintActions.Start] = "开始处理",
        [ComplaintActions.Escalate] = "上报",
        [ComplaintActions.Dispatch] = "派单",
        [ComplaintActions.Return] = "退单",
        [ComplaintActions.RequestExtension] = "申请延期",
        [ComplaintActions.ApproveExtension] = "批准延期",
        [ComplaintActions.DenyExtension] = "驳回延期",
        [ComplaintActions.Resolve] = "办结",
        [ComplaintActions.Reject] = "不予受理",
        [ComplaintActions.Note] = "内部备注",
        [ComplaintActions.Reply] = "回复居民",
        [ComplaintActions.Supervise] = "督办",
        [ComplaintActions.Assign] = "指派网格员",
        [ComplaintActions.Whistle] = "吹哨",
        [ComplaintActions.EvaluateByPhone] = "电话回访",
        [ComplaintActions.ContentReviewed] = "内容已复核",
        [ComplaintActions.Unpublish] = "撤下公示",
        [ComplaintActions.Reassign] = "改派 / 收回",
    };

    public static string Action(string action) => Actions.GetValueOrDefault(action, action);

    public static string Level(string level) => level switch
    {
        HandlingLevel.Community => "社区",
        HandlingLevel.Street => "街道",
        HandlingLevel.District => "区调度中心",
        HandlingLevel.Department => "部门",
        _ => level,
    };

    public static string Role(string role) => role switch
    {
        StaffRoles.Community => "社区工作人员",
        StaffRoles.Street => "街道工作人员",
        StaffRoles.Department => "部门工作人员",
        StaffRoles.Dispatcher => "调度员",
        StaffRoles.Admin => "管理员",
        StaffRoles.Volunteer => "志愿者",
        _ => role,
    };

    /// <summary>A deadline's colour on the board and in lists: red once overdue, yellow within 24 hours.</summary>
    public static string Urgency(bool overdue, DateTimeOffset? dueAt, DateTime now) =>
        overdue ? "overdue" : dueAt is { } due && due.UtcDateTime <= now + WallStore.DueSoonWindow ? "due-soon" : "";
}
