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
    public const string UnknownParameter = "unknown_parameter";
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
    public const string UnknownGrid = "unknown_grid";
    public const string CommunityRetired = "community_retired";
    public const string GridRetired = "grid_retired";
    public const string UnitRetired = "unit_retired";
    public const string NotPaired = "not_paired";
    public const string UnknownAssignee = "unknown_assignee";
    public const string OutsideUnit = "outside_unit";
    public const string BindingCodeInvalid = "binding_code_invalid";
    public const string LoginTicketUnknown = "login_ticket_unknown";
    public const string LoginTicketExpired = "login_ticket_expired";
    public const string LoginTicketUsed = "login_ticket_used";
    public const string ContentRejected = "content_rejected";
    public const string PhotoTypeUnsupported = "photo_type_unsupported";
    public const string PhotoUnreadable = "photo_unreadable";
    public const string PhotoTooManyPixels = "photo_too_many_pixels";
    public const string PhotoUploadLimit = "photo_upload_limit";
    public const string PhotoLinkInvalid = "photo_link_invalid";
    public const string PhotoLinkExpired = "photo_link_expired";
    public const string PhotoNotAttachable = "photo_not_attachable";
    public const string TooManyPhotos = "too_many_photos";
    public const string ResolutionPhotoRequired = "resolution_photo_required";
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

    /// <summary>What each code means for the program that receives it: served at /problems/{code} (the problem's type) and listed in the README.</summary>
    public static readonly IReadOnlyDictionary<string, ProblemCodeMeaning> Meanings = new Dictionary<string, ProblemCodeMeaning>
    {
        [ValidationFailed] = new(400, "fields are invalid (a broken rule, a value of the wrong JSON type, a member the endpoint does not take): `errors` names every one by JSON path, at once"),
        [InvalidRequest] = new(400, "the request could not be read (a parameter of the wrong type, a junk header)"),
        [InvalidJson] = new(400, "the body is not JSON, or not the JSON object the endpoint takes"),
        [UnknownParameter] = new(400, "a query parameter the endpoint does not know (a typo filters nothing): `errors` names it"),
        [Unauthenticated] = new(401, "no, an invalid or an expired token: log in again"),
        [Forbidden] = new(403, "the caller's role may never do this"),
        [StaffInactive] = new(403, "the staff account was deactivated"),
        [NotHandlingUnit] = new(403, "only the unit holding the case may do this"),
        [AnonymousReport] = new(403, "the reporter stays anonymous to every unit"),
        [OutsideUnit] = new(403, "the community is outside the caller's unit: staff record reports for their own community or street only"),
        [NotFound] = new(404, "no such thing in the caller's scope (another resident's report is one)"),
        [MethodNotAllowed] = new(405, "the path exists, the method does not"),
        [Conflict] = new(409, "the request conflicts with the current state (e.g. a WeChat account bound twice)"),
        [VersionConflict] = new(409, "the case changed since it was read (If-Match, or someone acted at the same moment): reload"),
        [InvalidState] = new(409, "the case is not in a status that allows the action"),
        [AlreadyEvaluated] = new(409, "the report is closed and was rated"),
        [IdempotencyKeyInFlight] = new(409, "the first request with this Idempotency-Key is still running: retry with the same key"),
        [PayloadTooLarge] = new(413, "the body is larger than the endpoint accepts: the detail names the limit"),
        [UnsupportedMediaType] = new(415, "send `application/json`"),
        [Unprocessable] = new(422, "the request refers to something that cannot be accepted"),
        [UnknownCommunity] = new(422, "no community with that code"),
        [UnknownCategory] = new(422, "no category with that code (GET /api/categories)"),
        [UnknownUnit] = new(422, "no department, street or community with that code to dispatch to"),
        [UnknownGrid] = new(422, "the community has no grid with that code (GET /api/communities/{code} lists its grids)"),
        [CommunityRetired] = new(422, "the community was retired (撤并) and takes no new reports: the detail and GET /api/communities/{code} name where to report instead"),
        [GridRetired] = new(422, "the grid was retired: pick one GET /api/communities/{code} lists, or none"),
        [UnitRetired] = new(422, "the department or community was retired: cases can no longer be dispatched or whistled to it"),
        [NotPaired] = new(422, "the department is not paired with the case's community, so it cannot be whistled to (GET /api/staff/communities/{code})"),
        [UnknownAssignee] = new(422, "the assignee is not an active grid worker of the case's community"),
        [IdempotencyKeyReused] = new(422, "this Idempotency-Key was used for a different report"),
        [BindingCodeInvalid] = new(422, "the staff binding code is unknown, used or expired"),
        [LoginTicketUnknown] = new(404, "no console login ticket with that value: scan the code the console shows now"),
        [LoginTicketExpired] = new(409, "the console login ticket is older than 2 minutes: reload the console's login page and scan again"),
        [LoginTicketUsed] = new(409, "the console login ticket was approved already; each works once"),
        [ContentRejected] = new(422, "WeChat's content check refused the text (`errors` names the fields): rephrase it and send again — the same Idempotency-Key may be reused, nothing was stored"),
        [RateLimited] = new(429, "too many requests of this kind; `Retry-After` says how long to wait"),
        [WechatCodeInvalid] = new(401, "the wx.login code is invalid or used: call wx.login again"),
        [WechatRateLimited] = new(429, "WeChat limits this user's logins"),
        [WechatBlocked] = new(403, "WeChat's risk control refused the user"),
        [WechatMisconfigured] = new(500, "our WeChat settings are wrong (operators are alerted)"),
        [WechatUnexpected] = new(502, "WeChat answered something we do not know"),
        [WechatUnavailable] = new(503, "WeChat is busy or unreachable; `Retry-After`"),
        [ServiceBusy] = new(503, "the database is busy; `Retry-After`"),
        [StorageUnavailable] = new(503, "storage is full or failing; `Retry-After`"),
        [ServiceUnavailable] = new(503, "a temporary condition (e.g. the render gate is full); `Retry-After`"),
        [InternalError] = new(500, "a bug: quote the `traceId`"),
        [PhotoTypeUnsupported] = new(415, "the upload is not a JPEG, PNG or WebP (told by its bytes: a PDF renamed `.jpg`, HEIC, GIF, SVG)"),
        [PhotoUnreadable] = new(415, "the upload is damaged or truncated"),
        [PhotoTooManyPixels] = new(413, "the upload declares more than 40 megapixels (refused from its header, before decoding)"),
        [PhotoUploadLimit] = new(429, "too many photo uploads in the last hour; `Retry-After`"),
        [PhotoLinkInvalid] = new(403, "a signed photo link was changed (path, expiry or signature)"),
        [PhotoLinkExpired] = new(403, "a signed photo link has expired: open the report again for new links"),
        [PhotoNotAttachable] = new(422, "a photo id is not the caller's, is attached already, is older than 24 h, is unknown or repeated (the detail names it)"),
        [TooManyPhotos] = new(422, "more than 9 photoIds in one report or one staff step"),
        [ResolutionPhotoRequired] = new(422, "the category requires a photo of the result (办结照片) to resolve"),
    };

    /// <summary>The problem's <c>type</c>: a URL on this server that names the code and says what it means.</summary>
    public static string TypeOf(HttpRequest request, string code) => $"{request.Scheme}://{request.Host}{request.PathBase}/problems/{code}";

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

public sealed record ProblemCodeMeaning(int Status, string Meaning);
