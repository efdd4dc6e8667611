using System.Globalization;
using System.Text.Json.Nodes;
using LianApi.Resources;

namespace LianApi.Infrastructure;

/// <summary>
/// The values the spec shows, so Swagger, generated mocks and the front-end team see one believable case of Lianhu
/// District (贡院门社区, a stairwell light) instead of "string", UTC times and dates of another year. Keyed by JSON
/// property name, or by "Schema.property" where one name means different things.
/// </summary>
public static class OpenApiExamples
{
    public const string Time = "2026-12-07T09:30:00.000+08:00";
    public const string Date = "2026-12-01";
    public const string TrackingNo = "LH20261207-0042";
    private const string PhotoId = "3f9a1c7e52b04d8e9a6f0b21c4d7e853";
    private const string Host = "https://lian.example.gov.cn";

    private static JsonNode Strings(params string[] values) => new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static readonly Dictionary<string, Func<JsonNode?>> Values = new(StringComparer.Ordinal)
    {
        ["accepted"] = () => Strings("kP3x7V0cHn2QwE8rT5yU1iO9aS6dF4gJ"),
        ["accessToken"] = () => "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsInJvbGUiOiJyZXNpZGVudCJ9.sQ9vN3b5dV1xK7mP2rT8wZ4yH6jL0cF3gA5eB7uI9oE",
        ["address"] = () => "莲湖区北院门街道贡院门社区 3 号楼 2 单元",
        ["afterBinding"] = () => Strings("kP3x7V0cHn2QwE8rT5yU1iO9aS6dF4gJ"),
        ["afterSubmit"] = () => Strings("kP3x7V0cHn2QwE8rT5yU1iO9aS6dF4gJ", "Zb8mN2vC4xL6kJ0hG9fD3sA5qW7eR1tY"),
        ["assignedTo"] = () => "王网格员",
        ["audience"] = () => "resident",
        ["bindingCode"] = () => "7KQ2-M9XP-4T",
        ["ScanResult.bindingCode"] = () => null,
        ["KeptReportItem.title"] = () => "莲湖区“民呼我行”诉求办理日报 · 2026年12月7日",
        ["KeptReportItem.pdfUrl"] = () => "/api/staff/reports/daily/2026-12-07.pdf",
        ["KeptReportItem.xlsxUrl"] = () => "/api/staff/reports/daily/2026-12-07.xlsx",
        ["browser"] = () => "Chrome 131 · Windows",
        ["categoryCode"] = () => "sanitation",
        ["categoryName"] = () => "用电用气",
        ["EmergencyHotline.categoryCode"] = () => "power-gas",
        ["EmergencyHotline.hotline"] = () => "燃气泄漏：立即离开现场并拨打 119；停电抢修：拨打 95598",
        ["channel"] = () => "wechat_subscribe",
        ["code"] = () => "gongyuanmen",
        ["CategoryResponse.code"] = () => "sanitation",
        ["DispatchTargetRequest.code"] = () => "beiyuanmen",
        ["CallBackFigures.code"] = () => "beiyuanmen",
        ["StatsScope.code"] = () => "beiyuanmen",
        ["comment"] = () => "师傅当天就来修好了，谢谢！",
        ["communityCode"] = () => "gongyuanmen",
        ["contactPhone"] = () => "138****5678",
        ["SubmitComplaintRequest.contactPhone"] = () => "13812345678",
        ["description"] = () => "楼道灯坏了，晚上看不见台阶",
        ["detail"] = () => "没有找到这条记录，或您无权查看。",
        ["emergencyHotline"] = () => null,
        ["encrypt"] = () => "bXlUb2tlbkVuY3J5cHRlZEJ5V2VjaGF0QUVTMjU2Q0JDPT0=",
        ["errors"] = () => new JsonObject { ["description"] = Strings("问题描述为 5 到 1000 个字。") },
        ["event"] = () => "complaint_accepted",
        ["gridCode"] = () => "gym-03",
        ["handledBy"] = () => "贡院门社区",
        ["hotline"] = () => "12345",
        ["id"] = () => 42,
        ["PhotoLink.id"] = () => PhotoId,
        ["UploadedPhoto.id"] = () => PhotoId,
        ["instance"] = () => "/api/complaints/" + TrackingNo,
        ["key"] = () => "total",
        ["kindLabel"] = () => "已受理",
        ["label"] = () => "办理进度通知",
        ["lastError"] = () => "43101: 用户未订阅或订阅次数已用完",
        ["latitude"] = () => 34.2658,
        ["longitude"] = () => 108.9331,
        ["level"] = () => "street",
        ["meaning"] = () => "no such thing in the caller's scope (another resident's report is one)",
        ["name"] = () => "贡院门社区",
        ["ContactResponse.name"] = () => "张女士",
        ["CategoryResponse.name"] = () => "环境卫生",
        ["newDueAt"] = () => "2026-12-14T18:00:00.000+08:00",
        ["nextCursor"] = () => "1207004200",
        ["note"] = () => "已联系物业，明天上午带梯子上门更换灯泡",
        ["notice"] = () => "贡院门社区已并入北院门社区，请向北院门社区反映。",
        ["optional"] = () => Strings("note"),
        ["page"] = () => "pages/complaint/detail?trackingNo=" + TrackingNo,
        ["partner"] = () => "西安市 12345 市民服务热线平台",
        ["roles"] = () => Strings("resident"),
        ["LoginUser.staff"] = () => null,
        ["period"] = () => "2026-12",
        ["phone"] = () => "13812345678",
        ["photoIds"] = () => Strings(PhotoId),
        ["place"] = () => "莲湖区北院门街道贡院门社区 3 号楼",
        ["reason"] = () => "需街道协调物业维修基金，上报街道",
        ["RejectRequest.reason"] = () => "该问题属于私人住宅内部维修，不在社区受理范围",
        ["reply"] = () => "已更换楼道灯泡，请您查看。",
        ["required"] = () => Strings("reply"),
        ["residentName"] = () => "张女士",
        ["residentPhone"] = () => "13812345678",
        ["status"] = () => "in_progress",
        ["NotificationItem.status"] = () => "sent",
        ["statusLabel"] = () => "处理中",
        ["PublicCase.statusLabel"] = () => "已办结",
        ["summary"] = () => "楼道灯坏了，晚上看不见台阶",
        ["templateId"] = () => "kP3x7V0cHn2QwE8rT5yU1iO9aS6dF4gJ",
        ["thumbUrl"] = () => $"{Host}/api/photos/{PhotoId}/thumb?expires=1796614200&sig=Yk3mQ8xZ",
        ["title"] = () => "未找到",
        ["toUser"] = () => "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
        ["toUserName"] = () => "gh_3f1a2b4c5d6e",
        ["traceId"] = () => "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ["trackingNo"] = () => TrackingNo,
        ["type"] = () => $"{Host}/problems/not_found",
        ["unit"] = () => "贡院门社区",
        ["unitName"] = () => "贡院门社区",
        ["url"] = () => $"{Host}/api/photos/{PhotoId}?expires=1796614200&sig=Qw7nR2pL",
        ["from"] = () => Date,
        ["to"] = () => "2026-12-31",
        ["placesFrom"] = () => "2026-09-01",
        ["previousFrom"] = () => "2026-11-01",
        ["previousTo"] = () => "2026-11-30",
        ["dueAt"] = () => "2026-12-09T18:00:00.000+08:00",
        ["@category"] = () => new JsonObject { ["code"] = "sanitation", ["name"] = "环境卫生" },
        ["@street"] = () => new JsonObject { ["code"] = "beiyuanmen", ["name"] = "北院门街道" },
        ["@grid"] = () => new JsonObject { ["code"] = "gym-03", ["name"] = "第三网格" },
        ["@handledBy"] = () => new JsonObject { ["level"] = "community", ["unitName"] = "贡院门社区" },
        ["data"] = () => new JsonObject { ["character_string1"] = TrackingNo, ["phrase2"] = "已受理", ["time3"] = "2026年12月07日 09:30" },
    };

    /// <summary>Whether the table names the property's example (null included: a resident's login has no staff object).</summary>
    public static bool TryGet(string schemaId, string name, out JsonNode? example)
    {
        if (Values.TryGetValue($"{schemaId}.{name}", out var specific) || Values.TryGetValue(name, out specific))
        {
            example = specific();
            return true;
        }
        example = null;
        return false;
    }

    /// <summary>The properties shown as null on purpose (a report of a category that is no emergency has no emergency hotline).</summary>
    public static IReadOnlyList<string> ShownAsNull => [.. Values.Where(v => v.Value() is null).Select(v => v.Key)];

    /// <summary>The whole object a property shows when its schema is shared by things of different kinds (a category and a community are both code and name).</summary>
    public static bool TryGetObject(string property, out JsonNode? example) => TryGet("", "@" + property, out example);

    /// <summary>Request bodies that are not one of our schemas: what the mini-program passes on as it is.</summary>
    public static JsonNode? RequestOf(string operation) => operation switch
    {
        "RecordConsents" => new JsonObject
        {
            ["errMsg"] = "requestSubscribeMessage:ok",
            ["kP3x7V0cHn2QwE8rT5yU1iO9aS6dF4gJ"] = "accept",
            ["Zb8mN2vC4xL6kJ0hG9fD3sA5qW7eR1tY"] = "reject",
        },
        _ => null,
    };

    /// <summary>The example of a property, or null when the table has none and its schema says nothing to pick from.</summary>
    public static JsonNode? ForProperty(string schemaId, string name, Microsoft.OpenApi.OpenApiSchema schema)
    {
        // A name means different things in different schemas (status: a case's, a notification's, an HTTP status):
        // the table's value counts only where it fits.
        if (TryGet(schemaId, name, out var listed) && Fits(listed, schema))
        {
            return listed;
        }
        if (schema.Enum is { Count: > 0 } values)
        {
            return values.FirstOrDefault(v => v is not null)?.DeepClone();
        }
        var type = schema.Type ?? 0;
        return schema.Format switch
        {
            "date-time" => Time,
            "date" => Date,
            _ when type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Boolean) => false,
            _ when type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Number) => name.EndsWith("Rate", StringComparison.Ordinal) ? 0.92 : 3.5,
            _ when type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Integer) => Count(name),
            _ => null,
        };
    }

    private static bool Fits(JsonNode? example, Microsoft.OpenApi.OpenApiSchema schema)
    {
        var type = schema.Type ?? 0;
        if (schema.Enum is { Count: > 0 } values)
        {
            return values.Any(v => JsonNode.DeepEquals(v, example));
        }
        return example?.GetValueKind() switch
        {
            null => type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Null),
            System.Text.Json.JsonValueKind.String => type.HasFlag(Microsoft.OpenApi.JsonSchemaType.String),
            System.Text.Json.JsonValueKind.Number => type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Number)
                || type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Integer),
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Boolean),
            System.Text.Json.JsonValueKind.Array => type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Array),
            _ => type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Object),
        };
    }

    private static int Count(string name) => name switch
    {
        "version" => 3,
        "width" => 1536,
        "height" => 2048,
        "status" => 404,
        _ when name.Contains("Hours", StringComparison.Ordinal) => 6,
        _ when name.Contains("Days", StringComparison.Ordinal) => 4,
        _ when name.Contains("Seconds", StringComparison.Ordinal) => 90,
        _ => 12,
    };

    /// <summary>
    /// The code each error status of an operation really carries, where it is not the status's general one
    /// (<see cref="ProblemCodes.ForStatus"/>): what a client meets most often there.
    /// </summary>
    private static readonly Dictionary<(string Operation, int Status), string> Codes = new()
    {
        [("WechatLogin", 401)] = ProblemCodes.WechatCodeInvalid,
        [("WechatLogin", 403)] = ProblemCodes.WechatBlocked,
        [("WechatLogin", 429)] = ProblemCodes.WechatRateLimited,
        [("WechatLogin", 500)] = ProblemCodes.WechatMisconfigured,
        [("WechatLogin", 502)] = ProblemCodes.WechatUnexpected,
        [("WechatLogin", 503)] = ProblemCodes.WechatUnavailable,
        [("SubmitComplaint", 409)] = ProblemCodes.IdempotencyKeyInFlight,
        [("SubmitComplaint", 422)] = ProblemCodes.UnknownCommunity,
        [("RecordComplaint", 403)] = ProblemCodes.OutsideUnit,
        [("RecordComplaint", 409)] = ProblemCodes.IdempotencyKeyInFlight,
        [("RecordComplaint", 422)] = ProblemCodes.UnknownCommunity,
        [("EvaluateComplaint", 409)] = ProblemCodes.AlreadyEvaluated,
        [("EvaluateComplaint", 422)] = ProblemCodes.ContentRejected,
        [("UrgeComplaint", 409)] = ProblemCodes.InvalidState,
        [("UploadPhoto", 415)] = ProblemCodes.PhotoTypeUnsupported,
        [("UploadPhoto", 429)] = ProblemCodes.PhotoUploadLimit,
        [("GetPhoto", 403)] = ProblemCodes.PhotoLinkExpired,
        [("GetPhotoThumbnail", 403)] = ProblemCodes.PhotoLinkExpired,
        [("BindStaff", 422)] = ProblemCodes.BindingCodeInvalid,
        [("ListPublicCases", 422)] = ProblemCodes.UnknownCommunity,
        [("GetConsoleLogin", 404)] = ProblemCodes.LoginTicketUnknown,
        [("ApproveConsoleLogin", 404)] = ProblemCodes.LoginTicketUnknown,
        [("ApproveConsoleLogin", 409)] = ProblemCodes.LoginTicketExpired,
    };

    /// <summary>Staff actions: what stops them most often.</summary>
    private static string? StaffActionCode(string operation, int status) => operation.StartsWith("Staff", StringComparison.Ordinal) ? status switch
    {
        403 => ProblemCodes.NotHandlingUnit,
        409 => ProblemCodes.InvalidState,
        422 => operation switch
        {
            "StaffDispatch" or "StaffReassign" => ProblemCodes.UnknownUnit,
            "StaffWhistle" => ProblemCodes.NotPaired,
            "StaffAssign" => ProblemCodes.UnknownAssignee,
            "StaffResolve" => ProblemCodes.ResolutionPhotoRequired,
            _ => ProblemCodes.PhotoNotAttachable,
        },
        _ => null,
    } : null;

    public static string CodeOf(string operation, int status, bool hasFieldErrors) =>
        Codes.GetValueOrDefault((operation, status)) ?? StaffActionCode(operation, status) ?? ProblemCodes.ForStatus(status, hasFieldErrors);

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>An error as the app writes it, in the resident's Chinese; field errors name a field of the request when it has one.</summary>
    public static JsonObject Problem(string operation, int status, string? field)
    {
        var code = CodeOf(operation, status, field is not null);
        var problem = new JsonObject
        {
            ["type"] = $"{Host}/problems/{code}",
            ["title"] = Messages.ResourceManager.GetString($"Title{status}", Chinese) ?? Messages.ResourceManager.GetString("Title500", Chinese),
            ["status"] = status,
            ["detail"] = DetailOf(operation, code, status),
            ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ["code"] = code,
        };
        if (code == ProblemCodes.ValidationFailed && field is not null)
        {
            problem["errors"] = new JsonObject { [field] = Strings(Messages.ResourceManager.GetString(nameof(Messages.FieldRequired), Chinese)!) };
        }
        return problem;
    }

    private static string DetailOf(string operation, string code, int status)
    {
        if (code == ProblemCodes.PayloadTooLarge)
        {
            var limit = operation == "UploadPhoto" ? "10 MB" : "256 KB";
            return string.Format(Chinese, Messages.ResourceManager.GetString(nameof(Messages.Detail413Limit), Chinese)!, limit);
        }
        var key = code == ProblemCodes.ValidationFailed ? nameof(Messages.DetailValidation) : $"Detail{status}";
        return Messages.ResourceManager.GetString(key, Chinese) ?? Messages.ResourceManager.GetString("Detail500", Chinese)!;
    }
}
