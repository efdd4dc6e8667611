using System.Reflection;

namespace LianApi.Infrastructure;

/// <summary>
/// The closed list of machine-readable codes every problem response carries in <c>code</c> (the spec's enum and the
/// README list are made from it). A code says what happened; the status says how bad; the detail says what to do.
/// </summary>
public static class ProblemCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string InvalidRequest = "invalid_request";
    public const string InvalidJson = "invalid_json";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string StaffInactive = "staff_inactive";
    public const string NotHandlingUnit = "not_handling_unit";
    public const string AnonymousReport = "anonymous_report";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Conflict = "conflict";
    public const string VersionConflict = "version_conflict";
    public const string InvalidState = "invalid_state";
    public const string AlreadyEvaluated = "already_evaluated";
    public const string IdempotencyKeyInFlight = "idempotency_key_in_flight";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Unprocessable = "unprocessable";
    public const string UnknownCommunity = "unknown_community";
    public const string UnknownCategory = "unknown_category";
    public const string UnknownUnit = "unknown_unit";
    public const string BindingCodeInvalid = "binding_code_invalid";
    public const string ContentRejected = "content_rejected";
    public const string RateLimited = "rate_limited";
    public const string WechatCodeInvalid = "wechat_code_invalid";
    public const string WechatRateLimited = "wechat_rate_limited";
    public const string WechatBlocked = "wechat_blocked";
    public const string WechatMisconfigured = "wechat_misconfigured";
    public const string WechatUnexpected = "wechat_unexpected";
    public const string WechatUnavailable = "wechat_unavailable";
    public const string ServiceBusy = "service_busy";
    public const string StorageUnavailable = "storage_unavailable";
    public const string ServiceUnavailable = "service_unavailable";
    public const string InternalError = "internal_error";

    public static readonly IReadOnlyList<string> All = typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

    /// <summary>The code of a problem nobody gave one: what its status means in general.</summary>
    public static string ForStatus(int status, bool fieldErrors) => status switch
    {
        400 => fieldErrors ? ValidationFailed : InvalidRequest,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => Unprocessable,
        429 => RateLimited,
        503 => ServiceUnavailable,
        _ => InternalError,
    };

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult WithCode(this Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult result, string code)
    {
        result.ProblemDetails.Extensions["code"] = code;
        return result;
    }
}
