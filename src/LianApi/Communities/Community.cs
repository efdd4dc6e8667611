using System.ComponentModel;

namespace LianApi.Communities;

public sealed record StreetRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
}

public sealed record CommunityRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Address { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public long StreetId { get; init; }
    public string StreetCode { get; init; } = "";
    public string StreetName { get; init; } = "";
    /// <summary>When the community was retired (撤并): its cases stay and count, no new report is filed there.</summary>
    public DateTime? RetiredAt { get; init; }
    /// <summary>The community residents report to instead, named at retirement; none: its street office.</summary>
    public long? SuccessorId { get; init; }
    public bool IsRetired => RetiredAt is not null;
}

public sealed record GridRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public long CommunityId { get; init; }
    public DateTime? RetiredAt { get; init; }
}

public sealed record DepartmentRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTime? RetiredAt { get; init; }
}

public sealed record CategoryRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public bool IsEmergency { get; init; }
    public string? Hotline { get; init; }
    public int ResponseHours { get; init; }
    public int ResolutionWorkingDays { get; init; }
    public bool RequiresResolutionPhoto { get; init; }
}

public sealed record GeoPoint(
    [property: Description("WGS-84/GCJ-02 latitude as the mini-program reports it, -90..90")] double Latitude,
    [property: Description("Longitude, -180..180")] double Longitude);

public sealed record StreetResponse(string Code, string Name);

public sealed record CategoryResponse(
    string Code,
    string Name,
    [property: Description("Emergencies (gas, power) show the hotline banner instead of only queuing the report")] bool IsEmergency,
    [property: Description("What to call right now; present for emergency categories")] string? Hotline,
    [property: Description("Hours the community has to accept a new report")] int ResponseHours,
    [property: Description("Working days to resolve an accepted report")] int ResolutionWorkingDays,
    [property: Description("Staff resolve cases of this category only with a photo of the result (办结照片, photoIds of resolve)")] bool RequiresResolutionPhoto);

public sealed record CommunitySummary(string Code, string Name, StreetResponse Street);

public sealed record EmergencyHotline(string CategoryCode, string CategoryName, string Hotline);

public sealed record CommunityLanding(
    string Code,
    string Name,
    string? Address,
    GeoPoint? Location,
    StreetResponse Street,
    IReadOnlyList<CategoryResponse> Categories,
    [property: Description("Banner lines for the emergency categories: show them before the report form")] IReadOnlyList<EmergencyHotline> EmergencyHotlines,
    [property: Description("The community's grids (网格): a report may name one (gridCode)")] IReadOnlyList<GridResponse> Grids,
    [property: Description("Present when the community was retired (撤并): show the notice instead of the report form (a report is refused with community_retired)")] RetiredNotice? Retired);

public sealed record RetiredNotice(
    [property: Description("What to tell the resident, e.g. 贡院门社区已撤并，不再受理新的诉求，请向北院门街道反映。")] string Notice,
    [property: Description("Where to report instead")] ReportInstead ReportInstead);

public sealed record ReportInstead(
    [property: Description("community (the successor named at retirement; its code opens its landing page) or street (the street office)")] string Level,
    string Code,
    string Name);

public sealed record GridResponse(string Code, string Name);

public static class CommunityMappings
{
    public static CategoryResponse AsResponse(this CategoryRow c) =>
        new(c.Code, c.Name, c.IsEmergency, c.Hotline, c.ResponseHours, c.ResolutionWorkingDays, c.RequiresResolutionPhoto);

    public static CommunitySummary AsSummary(this CommunityRow c) =>
        new(c.Code, c.Name, new StreetResponse(c.StreetCode, c.StreetName));

    public static CommunityLanding AsLanding(this CommunityRow c, IReadOnlyList<CategoryRow> categories, IReadOnlyList<GridRow> grids, RetiredNotice? retired) =>
        new(c.Code, c.Name, c.Address,
            c.Latitude is { } lat && c.Longitude is { } lng ? new GeoPoint(lat, lng) : null,
            new StreetResponse(c.StreetCode, c.StreetName),
            categories.Select(AsResponse).ToList(),
            categories.Where(k => k.IsEmergency && k.Hotline is not null)
                .Select(k => new EmergencyHotline(k.Code, k.Name, k.Hotline!)).ToList(),
            grids.Select(g => new GridResponse(g.Code, g.Name)).ToList(),
            retired);
}
