using LianApi.Resources;
namespace LianApi.Infrastructure;

/// <summary>
/// Every field message a client can receive, named by its key in Resources/Messages*.resx: validation attributes hold
/// these keys instead of letting the framework's own texts ("The X field is required.") reach a resident's phone, and
/// the keys become the request's language when the problem is written (<see cref="Text.Field"/>).
/// </summary>
public static class ValidationMessages
{
    public const string CommunityCode = nameof(Messages.FieldCommunityCode);
    public const string StreetCode = nameof(Messages.FieldStreetCode);
    public const string CodeKind = nameof(Messages.FieldCodeKind);
    public const string CodeFormat = nameof(Messages.FieldCodeFormat);
    public const string CodePreset = nameof(Messages.FieldCodePreset);
    public const string WxacodeFormat = nameof(Messages.FieldWxacodeFormat);
    public const string PosterFormat = nameof(Messages.FieldPosterFormat);
    public const string PrintSetFormat = nameof(Messages.FieldPrintSetFormat);
    public const string PosterPreset = nameof(Messages.FieldPosterPreset);
    public const string CategoryCode = nameof(Messages.FieldCategoryCode);
    public const string Description = nameof(Messages.FieldDescription);
    public const string Address = nameof(Messages.FieldAddress);
    public const string Latitude = nameof(Messages.FieldLatitude);
    public const string Longitude = nameof(Messages.FieldLongitude);
    public const string Phone = nameof(Messages.FieldPhone);
    public const string LoginCode = nameof(Messages.FieldLoginCode);
    public const string BindingCode = nameof(Messages.FieldBindingCode);
    public const string Resolved = nameof(Messages.FieldResolved);
    public const string Satisfaction = nameof(Messages.FieldSatisfaction);
    public const string Comment = nameof(Messages.FieldComment);
    public const string StaffText = nameof(Messages.FieldStaffText);
    public const string PageSize = nameof(Messages.FieldPageSize);
    public const string Status = nameof(Messages.FieldStatus);
    public const string Level = nameof(Messages.FieldLevel);
    public const string Sort = nameof(Messages.FieldSort);
    public const string Cursor = nameof(Messages.FieldCursor);
    public const string DispatchLevel = nameof(Messages.FieldDispatchLevel);
    public const string DispatchCode = nameof(Messages.FieldDispatchCode);
    public const string IfMatch = nameof(Messages.FieldIfMatch);
    public const string PlainText = nameof(Messages.FieldPlainText);
    public const string StatsGroupBy = nameof(Messages.FieldStatsGroupBy);
    public const string StatsLevel = nameof(Messages.FieldStatsLevel);
    public const string StatsSort = nameof(Messages.FieldStatsSort);
    public const string StatsFormat = nameof(Messages.FieldStatsFormat);
    public const string Consents = nameof(Messages.FieldConsents);
    public const string NotificationStatus = nameof(Messages.FieldNotificationStatus);
    public const string Channel = nameof(Messages.FieldChannel);
    public const string SearchText = nameof(Messages.FieldSearchText);
    public const string SearchSort = nameof(Messages.FieldSearchSort);
    public const string ResidentName = nameof(Messages.FieldResidentName);
    public const string GridCode = nameof(Messages.FieldGridCode);
    public const string PhotoFile = nameof(Messages.PhotoNoFile);
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
