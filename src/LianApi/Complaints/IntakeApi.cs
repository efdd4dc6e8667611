using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using LianApi.Auth;
using LianApi.Idempotency;
using LianApi.Infrastructure;
using LianApi.Privacy;
using LianApi.Resources;
using LianApi.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace LianApi.Complaints;

/// <summary>How a report came in: the resident's own mini-program, or one of the offline channels staff record from.</summary>
public static class Channels
{
    public const string MiniProgram = "miniprogram";
    public const string DoorKnock = "door_knock";
    public const string CollectionPoint = "collection_point";
    public const string WechatGroup = "wechat_group";
    public const string Hotline = "hotline";
    public const string Visit = "visit";
    public const string Other = "other";
    /// <summary>Filed by a partner system through Open311 GeoReport v2 (POST /open311/v2/requests), with an api_key.</summary>
    public const string Open311 = "open311";

    /// <summary>The channels staff record a report from on a resident's behalf.</summary>
    public static readonly string[] Offline = [DoorKnock, CollectionPoint, WechatGroup, Hotline, Visit, Other];

    public static readonly string[] All = [MiniProgram, .. Offline, Open311];

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [MiniProgram] = "小程序",
        [DoorKnock] = "敲门行动",
        [CollectionPoint] = "意见征集点",
        [WechatGroup] = "微信群",
        [Hotline] = "热线",
        [Visit] = "来访",
        [Other] = "其他",
        [Open311] = "合作平台",
    };

    public const string Description =
        "How the report came in: miniprogram (the resident's own report), or recorded by staff from door_knock (敲门行动), " +
        "collection_point (意见征集点), wechat_group (微信群), hotline (热线), visit (来访) or other; open311 when a partner system filed it " +
        "through Open311 GeoReport v2";
}

/// <summary>A report collected offline and recorded by staff on a resident's behalf; the resident's name and phone only if they agree.</summary>
public sealed record RecordComplaintRequest : IValidatableObject
{
    [Required(ErrorMessage = ValidationMessages.Channel), PlainText]
    [AllowedValues(Channels.DoorKnock, Channels.CollectionPoint, Channels.WechatGroup, Channels.Hotline, Channels.Visit, Channels.Other,
        ErrorMessage = ValidationMessages.Channel)]
    [Description("Where the report was collected: door_knock (敲门行动), collection_point (意见征集点), wechat_group (微信群), hotline, visit or other")]
    public string Channel { get; init; } = "";

    [Required(ErrorMessage = ValidationMessages.CommunityCode), CharacterLength(32, ErrorMessage = ValidationMessages.CommunityCode), PlainText]
    [Description("The community the problem is in: the caller's own (community staff, volunteers) or one of the caller's street")]
    public string CommunityCode { get; init; } = "";

    [CharacterLength(32, ErrorMessage = ValidationMessages.GridCode), PlainText]
    [Description("Optional: one of the community's grids (GET /api/communities/{code} lists them)")]
    public string? GridCode { get; init; }

    [Required(ErrorMessage = ValidationMessages.CategoryCode), CharacterLength(32, ErrorMessage = ValidationMessages.CategoryCode), PlainText]
    [Description("A code from GET /api/categories")]
    public string CategoryCode { get; init; } = "";

    [Required(ErrorMessage = ValidationMessages.Description), CharacterLength(1000, MinimumLength = 5, ErrorMessage = ValidationMessages.Description), PlainText]
    [Description("What is wrong, 5–1000 characters, in the resident's words")]
    public string Description { get; init; } = "";

    [CharacterLength(200, ErrorMessage = ValidationMessages.Address), PlainText]
    [Description("Building, unit, room — where exactly")]
    public string? Address { get; init; }

    public LocationRequest? Location { get; init; }

    [CharacterLength(50, ErrorMessage = ValidationMessages.ResidentName), PlainText]
    [Description("The resident's name, only if they agree; stored encrypted, read only through the audited contact call")]
    public string? ResidentName { get; init; }

    [ChinesePhone(ErrorMessage = ValidationMessages.Phone), PlainText]
    [Description("The resident's phone, only if they agree, as people write it (+86, spaces and dashes accepted); stored encrypted and shown masked, like a resident's own")]
    public string? ResidentPhone { get; init; }

    [Description("The resident wants a call back (回访); the handling unit records their answer with evaluate-by-phone"), DefaultValue(false)]
    public bool CallbackWanted { get; init; }

    [Description("Ids of photos the recorder uploaded with POST /api/photos (0–9), taken on the spot")]
    public IReadOnlyList<string>? PhotoIds { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Description.Trim().Length < 5)
        {
            yield return new ValidationResult(ValidationMessages.Description, [nameof(Description)]);
        }
    }
}

/// <summary>Every channel in: reports recorded on residents' behalf by community and street staff and by volunteers.</summary>
public static class IntakeApi
{
    public const string RecordEndpoint = "POST /api/staff/complaints";

    // A report recorded on a resident's behalf belongs to no WeChat user: each recorder has an intake user of their own,
    // so no resident (the recorder included) ever finds it among "my reports" or rates it in the mini-program.
    private const string IntakeAppId = "lianapi-intake";

    public static RouteGroupBuilder MapIntake(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/staff/complaints")
            .WithTag("Staff intake", "Reports collected offline (敲门行动, 意见征集点, 微信群, hotline, visits) and recorded by staff or volunteers on a resident's behalf (staff token)")
            .RequireActiveStaff().ContainsPersonalData();

        group.MapPost("/", RecordComplaint)
            .WithName(nameof(RecordComplaint))
            .WithSummary("Record a report collected offline on a resident's behalf (community and street staff, volunteers)")
            .WithDescription("The same Idempotency-Key rules as a resident's report: a fresh key per report, the same key when retrying. " +
                             "Volunteers and community staff record for their own community, street staff for the communities of their street. " +
                             "The report enters the response chain like a resident's; a volunteer follows it in their inbox.")
            .ProducesStandardProblems(400, 403, 409, 413, 415, 422, 503)
            .ProducesHeader(StatusCodes.Status201Created, HeaderNames.Location, "The case's URL in the staff API", required: true)
            .ProducesHeader(StatusCodes.Status201Created, IdempotencyKeys.ReplayedHeaderName,
                "Present when this is the stored answer to an earlier request with the same Idempotency-Key", onlyValue: "true")
            .ProducesHeader(StatusCodes.Status409Conflict, HeaderNames.RetryAfter, "Sent when a request with this Idempotency-Key is still being processed");

        return group;
    }

    public static async Task<Results<StoredJsonCreated<StaffComplaintDetail>, ProblemHttpResult>> RecordComplaint(
        RecordComplaintRequest request,
        [FromHeader(Name = IdempotencyKeys.HeaderName), Required, Description("A new UUID per report; the same one when retrying it")] string? idempotencyKey,
        ClaimsPrincipal user, HttpContext http, StaffMember staff, ComplaintIntake intake, ComplaintStore complaints, UserStore users, IdempotentCreate idempotency,
        Photos.PhotoLinks links, TimeProvider time, CancellationToken ct)
    {
        if (staff.Role is not (StaffRoles.Community or StaffRoles.Street or StaffRoles.Volunteer))
        {
            return Problems.Forbidden(Text.Format(Messages.RoleCannotRecord, staff.Role), ProblemCodes.Forbidden);
        }
        if (Photos.PhotoIdChecks.Problem(request.PhotoIds) is { } photoProblem)
        {
            return photoProblem;
        }
        var intakeUser = await users.UpsertAsync(IntakeAppId, $"staff:{staff.Id}", time.GetUtcNow().UtcDateTime, ct);
        return await idempotency.RunAsync(http, idempotencyKey, user.UserId(), RecordEndpoint, request, async (claim, token) =>
        {
            var (place, community, refusal) = await intake.PlaceAsync(request.CommunityCode, request.CategoryCode, request.GridCode, token);
            if (community is not null && (staff.Role == StaffRoles.Street ? community.StreetId != staff.UnitId : community.Id != staff.UnitId))
            {
                return Problems.Forbidden(Text.Format(Messages.CommunityOutsideUnit, community.Name, staff.UnitName), ProblemCodes.OutsideUnit);
            }
            if (place is null)
            {
                return Problems.Unprocessable(refusal!.Field, refusal.Message).WithCode(refusal.Code);
            }
            var report = new IntakeReport
            {
                Channel = request.Channel, Place = place, Description = request.Description, Address = request.Address,
                Latitude = request.Location?.Latitude, Longitude = request.Location?.Longitude, Phone = request.ResidentPhone,
                ResidentName = request.ResidentName, CallbackWanted = request.CallbackWanted, PhotoIds = request.PhotoIds,
                PhotoOwnerId = user.UserId(), RecordedByStaffId = staff.Id,
            };
            ResidentView filed;
            try
            {
                filed = await intake.FileAsync(intakeUser, claim, report, SubmissionLimits.None, token);
            }
            catch (Photos.PhotoNotAttachableException photo)
            {
                return Photos.PhotoIdChecks.NotAttachable(photo.PhotoId);
            }
            return await StaffCreatedAsync(complaints, links, staff, time, filed.TrackingNo, token) is { } created ? created
                : throw new InvalidOperationException($"The report {filed.TrackingNo} was stored but cannot be read back.");
        }, async (claim, token) => await complaints.FindByClientRequestAsync(intakeUser, claim.Key, token) is { } filed
            ? await StaffCreatedAsync(complaints, links, staff, time, filed.TrackingNo, token) : null, ct);
    }

    private static async Task<StoredJsonCreated<StaffComplaintDetail>?> StaffCreatedAsync(ComplaintStore complaints, Photos.PhotoLinks links,
        StaffMember staff, TimeProvider time, string trackingNo, CancellationToken ct) =>
        await complaints.LoadAsync(trackingNo, ct) is { } loaded
            ? new StoredJsonCreated<StaffComplaintDetail>($"/api/staff/complaints/{trackingNo}",
                JsonSerializer.Serialize(loaded.Complaint.AsStaffDetail(loaded.Events, links.For,
                    ComplaintMachine.AllowedActions(staff, loaded.Complaint, time.GetUtcNow().UtcDateTime)), ComplaintStore.ViewJson))
            : null;

}
