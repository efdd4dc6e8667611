namespace LianApi.Infrastructure;

/// <summary>
/// Every field message a client can receive, in one place: validation attributes name these instead of letting the
/// framework's own texts ("The X field is required.") reach a resident's phone.
/// </summary>
public static class ValidationMessages
{
    public const string CommunityCode = "Give the community code from the scanned QR code (at most 32 characters).";
    public const string CodeKind = "Use link or wxacode.";
    public const string CodeFormat = "Use png or svg.";
    public const string CodePreset = "Use small (256 px), medium (512 px) or large (1024 px).";
    public const string WxacodeFormat = "WeChat's mini-program code is an image: ask for format=png.";
    public const string PosterFormat = "Use pdf or png.";
    public const string PrintSetFormat = "Use pdf (one page per community) or zip (one PNG per community).";
    public const string PosterPreset = "Use screen (96 dpi) or print (300 dpi).";
    public const string CategoryCode = "Give a category code from GET /api/categories (at most 32 characters).";
    public const string Description = "Describe the problem in 5 to 1000 characters.";
    public const string Address = "Keep the address within 200 characters.";
    public const string Latitude = "Latitude must be between -90 and 90.";
    public const string Longitude = "Longitude must be between -180 and 180.";
    public const string Phone = "Give a mainland mobile number (11 digits) or a landline such as 029-88881234.";
    public const string LoginCode = "Send the code returned by wx.login() (1–128 characters).";
    public const string BindingCode = "Send the 10-character binding code ops gave you (the dash is optional).";
    public const string Resolved = "Say whether the problem was solved (true or false).";
    public const string Satisfaction = "Use one of: satisfied, basically_satisfied, unsatisfied.";
    public const string Comment = "Keep the comment within 500 characters.";
    public const string StaffText = "Texts are limited to 1000 characters.";
    public const string PageSize = "Use a page size between 1 and 50.";
    public const string Status = "Use one of: submitted, accepted, in_progress, resolved, closed, rejected.";
    public const string Level = "Use community, street, district or department.";
    public const string Sort = "Use newest or urgent.";
    public const string Cursor = "Pass back the nextCursor of the previous page unchanged.";
    public const string DispatchLevel = "Give the level to dispatch to: department, street or community.";
    public const string DispatchCode = "Give the code of the department, street or community to dispatch to.";
    public const string IfMatch = "Send If-Match as the case's version from its last read, e.g. \"3\".";
    public const string PlainText = "Remove control characters and text-direction overrides from this text.";
}

public static class JsonFieldNames
{
    /// <summary>Rewrites C# member paths (Location.Latitude) as the camelCase JSON paths clients send (location.latitude).</summary>
    public static void Apply(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var json = Of(key);
            if (json != key)
            {
                var messages = errors[key];
                errors.Remove(key);
                errors[json] = errors.TryGetValue(json, out var existing) ? [.. existing, .. messages] : messages;
            }
        }
    }

    public static string Of(string memberPath) =>
        string.Join('.', memberPath.Split('.').Select(p => p.Length == 0 || p.Contains('-') ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
