using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Infrastructure;
using LianApi.Privacy;

namespace LianApi.Complaints;

public sealed record LocationRequest
{
    [Range(-90.0, 90.0, ErrorMessage = ValidationMessages.Latitude)]
    [Description("Latitude as wx.chooseLocation reports it")]
    public double Latitude { get; init; }

    [Range(-180.0, 180.0, ErrorMessage = ValidationMessages.Longitude)]
    public double Longitude { get; init; }
}

/// <summary>Only what a resident may set; status, owner and deadlines are the server's (no mass assignment).</summary>
public sealed record SubmitComplaintRequest : IValidatableObject
{
    [Required(ErrorMessage = ValidationMessages.CommunityCode), CharacterLength(32, ErrorMessage = ValidationMessages.CommunityCode), PlainText]
    [Description("The community code from the scanned QR code")]
    public string CommunityCode { get; init; } = "";

    [Required(ErrorMessage = ValidationMessages.CategoryCode), CharacterLength(32, ErrorMessage = ValidationMessages.CategoryCode), PlainText]
    [Description("A code from GET /api/categories")]
    public string CategoryCode { get; init; } = "";

    [Required(ErrorMessage = ValidationMessages.Description), CharacterLength(1000, MinimumLength = 5, ErrorMessage = ValidationMessages.Description), PlainText]
    [Description("What is wrong, 5–1000 characters")]
    public string Description { get; init; } = "";

    [CharacterLength(200, ErrorMessage = ValidationMessages.Address), PlainText]
    [Description("Building, unit, room — where exactly")]
    public string? Address { get; init; }

    public LocationRequest? Location { get; init; }

    [ChinesePhone(ErrorMessage = ValidationMessages.Phone), PlainText]
    [Description("A number to call back, as people or WeChat write it (+86 138 0013 8000, 138-0013-8000, 029-87654321); stored encrypted and shown masked")]
    public string? ContactPhone { get; init; }

    [CharacterLength(32, ErrorMessage = ValidationMessages.GridCode), PlainText]
    [Description("Optional: the resident's grid (网格), one of those GET /api/communities/{code} lists")]
    public string? GridCode { get; init; }

    [Description("Hide the resident's identity from the handling staff"), DefaultValue(false)]
    public bool Anonymous { get; init; }

    [Description("May the case appear on the public wall (办结公示) and in Open311 once resolved? Never with your name, phone, address or exact location; " +
                 "staff may still withdraw it. Default false: not published"), DefaultValue(false)]
    public bool PublicConsent { get; init; }

    [Description("Ids of photos uploaded with POST /api/photos, 0–9: each must be yours, unused and uploaded within the last 24 hours (422 naming the id otherwise)")]
    public IReadOnlyList<string>? PhotoIds { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Description.Trim().Length < 5)
        {
            yield return new ValidationResult(ValidationMessages.Description, [nameof(Description)]);
        }
    }
}
