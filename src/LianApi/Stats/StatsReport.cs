using System.ComponentModel;
using LianApi.Infrastructure;
using LianApi.Shared;

namespace LianApi.Stats;

public sealed record StatsScope(
    [property: OpenApiEnum(HandlingLevel.District, HandlingLevel.Street, HandlingLevel.Community, HandlingLevel.Department)]
    [property: Description("district | street | community | department")] string Level,
    [property: Description("The unit's code; null for the district")] string? Code,
    string Name);

public sealed record StatsReport(
    [property: Description("First day counted (Beijing), inclusive")] DateOnly From,
    [property: Description("Last day counted (Beijing), inclusive")] DateOnly To,
    [property: OpenApiEnum(StatsGroupings.Street, StatsGroupings.Community, StatsGroupings.Department, StatsGroupings.Category,
        StatsGroupings.Grid, StatsGroupings.Channel, StatsGroupings.Recorder, StatsGroupings.Handler, StatsGroupings.Day, StatsGroupings.Week, StatsGroupings.Month)]
    string? GroupBy,
    StatsScope Scope,
    [property: Description("The whole scope")] StatsFigures Total,
    [property: Description("One entry per group with cases (a case not dispatched to any department is in no department group)")] IReadOnlyList<StatsFigures> Groups,
    [property: Description("回访 by the dispatch center: per unit of the scope that resolved cases of the period, 回访率 and what residents said on the phone")] IReadOnlyList<CallBackFigures> CallBacks,
    [property: Description("吹哨报到: per department whistled to from the scope's communities in the period (a department: itself), 吹哨件数, 报到率 and 按时报到率")] IReadOnlyList<WhistleFigures> Whistles,
    [property: Description("环比 (with compare=true): the same scope and grouping in the period before; null otherwise")] StatsComparison? Previous = null,
    [property: Description("同比 (with compare=true): the same scope and grouping in the same period a year before; null otherwise")] StatsComparison? YearBefore = null);

/// <summary>The figures of another period to compare with: by unit or category each group (matched by key), by time only the total.</summary>
public sealed record StatsComparison(
    [property: Description("First day (Beijing), inclusive")] DateOnly From,
    [property: Description("Last day (Beijing), inclusive")] DateOnly To,
    StatsFigures Total,
    [property: Description("The groups of that period with cases, by the same key as the report's groups; empty when grouped by day, week or month")] IReadOnlyList<StatsFigures> Groups);

public sealed record StatsHeadline(
    [property: Description("2026, or \"all\"")] string Period,
    int Received,
    int Handled,
    [property: Description("办结率 = handled ÷ received")] double? CompletionRate,
    [property: Description("满意率 = (satisfied + basically satisfied) ÷ rated")] double? SatisfactionRate);

/// <summary>Immutable, so the cache hands out the same instance instead of a copy per request.</summary>
[ImmutableObject(true)]
public sealed record PublicStats(StatsHeadline ThisYear, StatsHeadline AllTime, DateTimeOffset AsOf);
