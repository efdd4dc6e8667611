using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using LianApi.Infrastructure;
using LianApi.Shared;

namespace LianApi.Stats;

public static class StatsGroupings
{
    public const string Street = "street";
    public const string Community = "community";
    public const string Department = "department";
    public const string Category = "category";
    public const string Grid = "grid";
    public const string Channel = "channel";
    public const string Recorder = "recorder";
    public const string Handler = "handler";
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";
}

public static class StatsOrders
{
    public const string Received = "received";
    public const string Completion = "completion";
    public const string Satisfaction = "satisfaction";
    public const string AcceptedOnTime = "acceptedOnTime";
    public const string ResolvedOnTime = "resolvedOnTime";
    public const string Overdue = "overdue";
}

public sealed record StatsQuery(
    [property: Description("First day of the period (Beijing), inclusive: 2026-01-01; default 1 January of this year")] DateOnly? From,
    [property: Description("Last day of the period (Beijing), inclusive; default today")] DateOnly? To,
    [property: Description("street | community | department | category | grid (网格) | channel (how cases came in: the mini-program, 敲门行动 …) | recorder (the staff member who recorded a report on a resident's behalf) | handler (the staff member who resolved a case last) | day | week (ISO, 2026-W49) | month; without it only the total. A department's figures group by street, community, department, category, recorder, handler or period; by staff, the scope's own staff (a street's: the street's and its communities')")]
    [property: AllowedValues(null, StatsGroupings.Street, StatsGroupings.Community, StatsGroupings.Department, StatsGroupings.Category,
        StatsGroupings.Grid, StatsGroupings.Channel, StatsGroupings.Recorder, StatsGroupings.Handler, StatsGroupings.Day, StatsGroupings.Week, StatsGroupings.Month, ErrorMessage = ValidationMessages.StatsGroupBy)] string? GroupBy,
    [property: Description("Narrow the scope to one unit inside the caller's: street | community | department, with code")]
    [property: AllowedValues(null, HandlingLevel.Street, HandlingLevel.Community, HandlingLevel.Department, ErrorMessage = ValidationMessages.StatsLevel)] string? Level,
    [property: Description("The code of the unit named by level")] string? Code,
    [property: Description("Ranking of unit and category groups, best first: received (default), completion, satisfaction, acceptedOnTime, resolvedOnTime, overdue (most first); periods are always in time order")]
    [property: AllowedValues(null, StatsOrders.Received, StatsOrders.Completion, StatsOrders.Satisfaction, StatsOrders.AcceptedOnTime,
        StatsOrders.ResolvedOnTime, StatsOrders.Overdue, ErrorMessage = ValidationMessages.StatsSort)] string? Sort,
    [property: Description("true: also the same figures for the period before (环比: whole months against as many months before, otherwise as many days before) and the same period a year before (同比); by unit or category, each group too")] bool? Compare = null);
