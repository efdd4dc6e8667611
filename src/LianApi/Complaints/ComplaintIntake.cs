using LianApi.Communities;
using LianApi.ContentSafety;
using LianApi.Idempotency;
using LianApi.Infrastructure;
using LianApi.Privacy;
using LianApi.Resources;

namespace LianApi.Complaints;

/// <summary>
/// A report as a door has read it from its protocol (the resident's JSON, the staff form, Open311's form fields), in the
/// words it came in: the intake looks nothing up from these texts but the place, protects the personal ones and files it.
/// </summary>
public sealed record IntakeReport
{
    public required string Channel { get; init; }
    public required IntakePlace Place { get; init; }
    public required string Description { get; init; }
    public string? Address { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    /// <summary>The phone to call back as typed (already validated); stored encrypted and shown masked.</summary>
    public string? Phone { get; init; }
    /// <summary>The resident's name when staff or a partner recorded it with their agreement; stored encrypted.</summary>
    public string? ResidentName { get; init; }
    public bool Anonymous { get; init; }
    public bool PublicConsent { get; init; }
    public bool CallbackWanted { get; init; }
    public IReadOnlyList<string>? PhotoIds { get; init; }
    /// <summary>Who uploaded the photos when they are not the report's owner (the staff member who recorded it).</summary>
    public long? PhotoOwnerId { get; init; }
    public long? RecordedByStaffId { get; init; }
    public string? Partner { get; init; }
    public IntakeContentCheck ContentCheck { get; init; } = IntakeContentCheck.None;
}

/// <summary>Where a report belongs: its community, category and (optionally) grid, looked up from the codes a door received.</summary>
public sealed record IntakePlace(CommunityRow Community, CategoryRow Category, GridRow? Grid);

/// <summary>Why the codes a door received name no place: the field, the stable code and the message, for the door to put in its own error shape.</summary>
public sealed record IntakeRefusal(string Field, string Code, string Message);

/// <summary>What the check of the report's text said, as the report stores it: an internal timeline step and the flags it sets.</summary>
public sealed record IntakeContentCheck(ComplaintEvent? Step, bool Review, bool Unchecked)
{
    /// <summary>Nothing checked and nothing to flag: staff recorded the resident's words themselves.</summary>
    public static readonly IntakeContentCheck None = new(null, false, false);

    /// <summary>WeChat's verdict on a resident's own text (refusals never reach the intake).</summary>
    public static IntakeContentCheck Of(TextVerdict verdict) =>
        new(ComplaintContent.TimelineStep(verdict), verdict.Suggest == TextSuggest.Review, verdict.Suggest == TextSuggest.Unchecked);

    /// <summary>A partner's text: WeChat checks only a resident's own (it needs their openid), so the dispatch center reviews it.</summary>
    public static IntakeContentCheck FromPartner(string partner) =>
        new(new ComplaintEvent(EventKinds.ContentChecked, $"未经微信内容安全检测：由 Open311 合作方「{partner}」提交，待调度中心复核",
            IsPublic: false, UnitName: Actor.SystemName), Review: false, Unchecked: true);
}

/// <summary>
/// The one door in: every report, whichever way it came (the resident's mini-program, staff recording one on a resident's
/// behalf, a partner through Open311), is placed, protected and filed here, so the three doors store the same report for
/// the same facts and keep only what their protocol needs.
/// </summary>
public sealed class ComplaintIntake(CommunityStore org, ComplaintStore complaints, PhoneProtector phones, TimeProvider time)
{
    /// <summary>
    /// The community, category and grid the codes name. On a refusal the community is still given when it was found, so a
    /// door that checks the caller's scope can answer that first.
    /// </summary>
    public async Task<(IntakePlace? Place, CommunityRow? Community, IntakeRefusal? Refusal)> PlaceAsync(string communityCode, string categoryCode,
        string? gridCode, CancellationToken ct)
    {
        if (await org.FindCommunityAsync(communityCode, ct) is not { } community)
        {
            return (null, null, new IntakeRefusal("communityCode", ProblemCodes.UnknownCommunity, Text.Format(Messages.UnknownCommunity, communityCode)));
        }
        var (place, refusal) = await PlaceAsync(community, categoryCode, gridCode, ct);
        return (place, community, refusal);
    }

    /// <summary>The same for a community the door found itself (Open311 places a report by its location).</summary>
    public async Task<(IntakePlace? Place, IntakeRefusal? Refusal)> PlaceAsync(CommunityRow community, string categoryCode, string? gridCode,
        CancellationToken ct)
    {
        if (community.IsRetired)
        {
            var instead = await org.ReportInsteadAsync(community, ct);
            return (null, new IntakeRefusal("communityCode", ProblemCodes.CommunityRetired, Text.Format(Messages.CommunityRetired, community.Name, instead.Name)));
        }
        if (await org.FindCategoryAsync(categoryCode, ct) is not { } category)
        {
            return (null, new IntakeRefusal("categoryCode", ProblemCodes.UnknownCategory, Text.Format(Messages.UnknownCategory, categoryCode)));
        }
        GridRow? grid = null;
        if (NullIfBlank(gridCode) is { } code && (grid = await org.FindGridAsync(community.Id, code, ct)) is null)
        {
            return (null, new IntakeRefusal("gridCode", ProblemCodes.UnknownGrid, Text.Format(Messages.UnknownGrid, community.Code, code)));
        }
        if (grid?.RetiredAt is not null)
        {
            return (null, new IntakeRefusal("gridCode", ProblemCodes.GridRetired, Text.Format(Messages.GridRetired, community.Code, grid.Code)));
        }
        return (new IntakePlace(community, category, grid), null);
    }

    /// <summary>
    /// Stores the report under the claimed key, owned by <paramref name="userId"/> (the resident, or the intake user of the
    /// recorder or partner), with its deadline to respond from the category. Throws what <see cref="ComplaintStore.SubmitAsync"/>
    /// throws: a photo that cannot be attached, a full quota, a duplicate key.
    /// </summary>
    public Task<ResidentView> FileAsync(long userId, IdempotencyClaim claim, IntakeReport report, SubmissionLimits limits, CancellationToken ct) =>
        complaints.SubmitAsync(Compose(userId, claim, report, time.GetUtcNow().UtcDateTime), claim, limits, ct);

    private NewComplaint Compose(long userId, IdempotencyClaim claim, IntakeReport report, DateTime now)
    {
        // One form, however it was written (+86 138 0013 8000 → 13800138000): stored, masked and indexed alike.
        var phone = PhoneProtector.Normalize(NullIfBlank(report.Phone));
        var name = NullIfBlank(report.ResidentName);
        var (community, category, grid) = report.Place;
        // A resident's own report without a grid keeps the plain row the resident's INSERT writes alone.
        var intake = report.Channel == Channels.MiniProgram && grid is null ? null
            : new IntakeFacts(report.Channel, grid, report.RecordedByStaffId, name is null ? null : phones.Protect(name), report.CallbackWanted,
                report.PhotoOwnerId, report.Partner);
        return new NewComplaint(userId, claim.Key, community, category, report.Description.Trim(), NullIfBlank(report.Address),
            report.Latitude, report.Longitude, phone is null ? null : phones.Protect(phone), phone is null ? null : PhoneProtector.Mask(phone),
            report.Anonymous, now, now.AddHours(category.ResponseHours), report.PhotoIds, intake)
        {
            ContentCheck = report.ContentCheck.Step,
            ContentReview = report.ContentCheck.Review,
            ContentUnchecked = report.ContentCheck.Unchecked,
            PublicConsent = report.PublicConsent,
            ContactPhoneIndex = phones.BlindIndex(phone),
        };
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
