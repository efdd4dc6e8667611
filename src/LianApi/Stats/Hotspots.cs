using System.ComponentModel;
using LianApi.Complaints;
using LianApi.Infrastructure;

namespace LianApi.Stats;

/// <summary>The agenda of a deliberation meeting (议事会/板凳会): what rose against the period before, and places reported again and again.</summary>
public sealed record Hotspots(
    [property: Description("First day (Beijing), inclusive")] DateOnly From,
    [property: Description("Last day (Beijing), inclusive")] DateOnly To,
    [property: Description("The period compared with (环比: whole months against as many months before, otherwise as many days before)")] DateOnly PreviousFrom,
    DateOnly PreviousTo,
    StatsScope Scope,
    [property: Description("Community × category pairs whose reports rose most against the previous period, most first (at most " + Hotspots.RisingText + ")")] IReadOnlyList<RisingProblem> Rising,
    [property: Description("First day of the 30 days (ending with To) in which places were reported " + Hotspots.RepeatsText + " times or more")] DateOnly PlacesFrom,
    [property: Description("Addresses (as residents wrote them, per community) and grids with " + Hotspots.RepeatsText + " or more reports in those 30 days, most first (at most " + Hotspots.PlacesText + ")")] IReadOnlyList<RepeatedPlace> RepeatedPlaces)
{
    public const int RisingCount = 10;
    public const string RisingText = "10";
    public const int Repeats = 3;
    public const string RepeatsText = "3";
    public const int PlacesCount = 20;
    public const string PlacesText = "20";
    public const int PlacesDays = 30;
}

public sealed record RisingProblem(
    NamedRef Community,
    NamedRef Category,
    [property: Description("Reports of the period")] int Received,
    [property: Description("Reports of the previous period")] int PreviousReceived,
    [property: Description("Received − previousReceived")] int Increase);

public sealed record RepeatedPlace(
    [property: OpenApiEnum(RepeatedPlace.Address, RepeatedPlace.Grid)]
    [property: Description("address | grid")] string Kind,
    NamedRef Community,
    [property: Description("The address as written, or the grid's name")] string Place,
    [property: Description("The grid's code; null for an address")] string? GridCode,
    [property: Description("Reports in the 30 days")] int Reports,
    [property: Description("The latest of them")] DateTimeOffset LastReportedAt)
{
    public const string Address = "address";
    public const string Grid = "grid";
}
