using System.ComponentModel;

namespace LianApi.Stats;

/// <summary>吹哨报到 of one department: the cases whistled to it (their last whistle) and whether it reported (报到, accepted) in its response time.</summary>
public sealed record WhistleFigures(
    [property: Description("The department's code")] string Code,
    string Name,
    [property: Description("吹哨件数: cases of the period whose last whistle went to this department (a case counts in the Beijing day it was submitted, like every measure)")] int Whistled,
    [property: Description("Of those, cases the department reported to (accepted), on time or late")] int Reported,
    [property: Description("Of those, cases it reported to within its response time")] int ReportedOnTime,
    [property: Description("报到率 = reported ÷ whistled")] double? ReportRate,
    [property: Description("按时报到率 = reported on time ÷ whistled")] double? OnTimeReportRate)
{
    public static WhistleFigures From(string code, string name, int[] counters) =>
        new(code, name, counters[CaseCounters.Whistled], counters[CaseCounters.WhistleReported], counters[CaseCounters.WhistleReportedOnTime],
            StatsFigures.Rate(counters[CaseCounters.WhistleReported], counters[CaseCounters.Whistled]),
            StatsFigures.Rate(counters[CaseCounters.WhistleReportedOnTime], counters[CaseCounters.Whistled]));
}
