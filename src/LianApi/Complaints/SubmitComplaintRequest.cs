using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace LianApi.Complaints;

public sealed record LocationRequest
{
    [Range(-90.0, 90.0)]
    [Description("Latitude as wx.chooseLocation reports it")]
    public double Latitude { get; init; }

    [Range(-180.0, 180.0)]
    public double Longitude { get; init; }
}

/// <summary>Only what a resident may set; status, owner and deadlines are the server's (no mass assignment).</summary>
public sealed record SubmitComplaintRequest : IValidatableObject
{
    public const string PhonePattern = @"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$";

    [Required, StringLength(32)]
    [Description("The community code from the scanned QR code")]
    public string CommunityCode { get; init; } = "";

    [Required, StringLength(32)]
    [Description("A code from GET /api/categories")]
    public string CategoryCode { get; init; } = "";

    [Required, StringLength(1000, MinimumLength = 5)]
    [Description("What is wrong, 5–1000 characters")]
    public string Description { get; init; } = "";

    [StringLength(200)]
    [Description("Building, unit, room — where exactly")]
    public string? Address { get; init; }

    public LocationRequest? Location { get; init; }

    [RegularExpression(PhonePattern, ErrorMessage = "Give a mainland mobile number (11 digits) or a landline such as 029-88881234.")]
    [Description("A number to call back; stored encrypted and shown masked")]
    public string? ContactPhone { get; init; }

    [Description("Hide the resident's identity from the handling staff")]
    public bool Anonymous { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Description.Trim().Length < 5)
        {
            yield return new ValidationResult("Describe the problem in at least 5 characters.", [nameof(Description)]);
        }
    }

    /// <summary>Field errors keyed by the JSON member names the client sent; empty when the request is valid.</summary>
    public Dictionary<string, string[]> Errors()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        if (Location is not null)
        {
            var nested = new List<ValidationResult>();
            Validator.TryValidateObject(Location, new ValidationContext(Location), nested, validateAllProperties: true);
            results.AddRange(nested.Select(r => new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{nameof(Location)}.{m}"))));
        }
        return results
            .SelectMany(r => r.MemberNames.DefaultIfEmpty("").Select(m => (Member: JsonPath(m), Message: r.ErrorMessage ?? "Invalid.")))
            .GroupBy(e => e.Member)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
    }

    private static string JsonPath(string member) =>
        string.Join('.', member.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
