using System.ComponentModel;
using LianApi.Infrastructure;
using LianApi.Shared;

namespace LianApi.Stats;

/// <summary>回访 by the dispatch center, about one unit's resolved cases of the period: how many were called back and what residents said.</summary>
public sealed record CallBackFigures(
    [property: OpenApiEnum(HandlingLevel.District, HandlingLevel.Street, HandlingLevel.Community, HandlingLevel.Department)]
    [property: Description("The level of the unit that resolved the cases (district: the dispatch center itself)")] string Level,
    [property: Description("The unit's code; null for the dispatch center")] string? Code,
    string Name,
    [property: Description("Cases of the period this unit resolved (a case counts in the Beijing day it was submitted, like every measure)")] int Resolved,
    [property: Description("Of those, cases the dispatch center called back")] int CalledBack,
    [property: Description("回访率 = called back ÷ resolved")] double? CallBackRate,
    [property: Description("Call-backs where the resident said the problem was solved")] int SaidResolved,
    int Satisfied,
    int BasicallySatisfied,
    int Unsatisfied,
    [property: Description("回访满意率 = (satisfied + basically satisfied) ÷ called back: what residents told the center, not the unit")] double? SatisfactionRate)
{
    /// <summary>The figures of one unit from its counts (the last call-back of each case counts).</summary>
    public static CallBackFigures From(string level, string? code, string name, CallBackCounts n) =>
        new(level, code, name, n.Resolved, n.CalledBack, StatsFigures.Rate(n.CalledBack, n.Resolved), n.SaidResolved, n.Satisfied, n.BasicallySatisfied,
            n.Unsatisfied, StatsFigures.Rate(n.Satisfied + n.BasicallySatisfied, n.CalledBack));
}

/// <summary>One unit's call-back counts, summed from its rollup rows by resolving unit.</summary>
public sealed record CallBackCounts
{
    public string UnitLevel { get; init; } = "";
    public long? UnitId { get; init; }
    public int Resolved { get; init; }
    public int CalledBack { get; init; }
    public int SaidResolved { get; init; }
    public int Satisfied { get; init; }
    public int BasicallySatisfied { get; init; }
    public int Unsatisfied { get; init; }
}
