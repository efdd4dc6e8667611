using System.ComponentModel;
using C = LianApi.Stats.CaseCounters;

namespace LianApi.Stats;

/// <summary>
/// The district's measures over the cases received (submitted) in a period, each defined once: its formula is the
/// Description the spec shows, and the README table repeats it. Rates are fractions (0.9972), null when nothing
/// was there to count; a case counts once, by its state now and its latest rating.
/// </summary>
public sealed record StatsFigures(
    [property: Description("The group: a unit or category code, or the period (2026-12-02, 2026-W49, 2026-12); \"total\" for the whole scope")] string Key,
    [property: Description("The group's name (unit, category or period)")] string Name,
    [property: Description("受理总量: cases submitted in the period")] int Received,
    [property: Description("办结量: cases resolved, closed (rated or not) or not accepted (不予受理) by now")] int Handled,
    [property: Description("办结率 = handled ÷ received (the district's 8,208 / 8,231 = 0.9972)")] double? CompletionRate,
    [property: Description("及时签收率 = cases accepted with no response deadline missed ÷ cases that were accepted or missed a response deadline")] double? AcceptedOnTimeRate,
    [property: Description("按时办结率 = cases whose latest resolution came by its deadline (extensions included) ÷ cases resolved now")] double? ResolvedOnTimeRate,
    [property: Description("解决率 = cases whose latest rating says solved ÷ rated cases")] double? ResolutionRate,
    [property: Description("满意率 = (satisfied + basically satisfied) ÷ rated cases, by each case's latest rating")] double? SatisfactionRate,
    [property: Description("满意率 (satisfied only) = satisfied ÷ rated cases")] double? SatisfiedOnlyRate,
    [property: Description("评价率/回访率 = rated cases ÷ cases resolved at least once; closing unrated after 7 days never counts as satisfied")] double? EvaluationRate,
    [property: Description("重办率 = cases reopened at least once ÷ cases resolved at least once")] double? ReopenRate,
    [property: Description("退单率 = cases returned by a unit at least once ÷ received")] double? ReturnRate,
    [property: Description("延期率 = cases with an approved extension ÷ received")] double? ExtensionRate,
    [property: Description("吹哨率/上报率 = cases that left the community level (escalated, auto-escalated, dispatched) ÷ received")] double? EscalationRate,
    [property: Description("零延误: open cases past their deadline now")] int OverdueNow,
    [property: Description("零差评's trail: cases whose latest rating was unsatisfied or not solved and that are not resolved again yet")] int UnsatisfiedPending,
    [property: Description("Closed unrated after 7 days (counted in handled, never as satisfied)")] int AutoClosed,
    [property: Description("不予受理: cases not accepted, with a reason")] int Rejected,
    [property: Description("Median hours from submission to first acceptance: the upper bound of the bucket (1, 2, 4, 8, 12, 24, 48, 72 h) that holds it; null above 72 h or when none was accepted")] int? MedianHoursToAccept,
    [property: Description("90th percentile of the hours to first acceptance, as the bucket bound above")] int? P90HoursToAccept,
    [property: Description("Median working days (on the calendar, after the day of submission) to the latest resolution: the bucket bound (0, 1, 2, 3, 5, 7, 10, 15, 20, 30); null above 30 or when none is resolved")] int? MedianWorkingDaysToResolve,
    [property: Description("90th percentile of the working days to resolution, as the bucket bound above")] int? P90WorkingDaysToResolve,
    [property: Description("The counts the rates divide, for checking them")] StatsCounts Counts)
{
    public static StatsFigures From(string key, string name, int[] s) => new(
        key, name, s[C.Received], s[C.Handled],
        Rate(s[C.Handled], s[C.Received]),
        Rate(s[C.AcceptedOnTime], s[C.MustAccept]),
        Rate(s[C.ResolvedOnTime], s[C.ResolvedNow]),
        Rate(s[C.EvaluatedResolved], s[C.Evaluated]),
        Rate(s[C.Satisfied] + s[C.BasicallySatisfied], s[C.Evaluated]),
        Rate(s[C.Satisfied], s[C.Evaluated]),
        Rate(s[C.Evaluated], s[C.ResolvedEver]),
        Rate(s[C.Reopened], s[C.ResolvedEver]),
        Rate(s[C.Returned], s[C.Received]),
        Rate(s[C.Extended], s[C.Received]),
        Rate(s[C.Escalated], s[C.Received]),
        s[C.OverdueNow], s[C.UnsatisfiedPending], s[C.AutoClosed], s[C.Rejected],
        Percentile(s, C.AcceptWithin0, C.AcceptHourBounds, 0.5), Percentile(s, C.AcceptWithin0, C.AcceptHourBounds, 0.9),
        Percentile(s, C.ResolveWithin0, C.ResolveDayBounds, 0.5), Percentile(s, C.ResolveWithin0, C.ResolveDayBounds, 0.9),
        new StatsCounts(s[C.MustAccept], s[C.AcceptedOnTime], s[C.ResolvedEver], s[C.ResolvedNow], s[C.ResolvedOnTime], s[C.Evaluated],
            s[C.EvaluatedResolved], s[C.Satisfied], s[C.BasicallySatisfied], s[C.Reopened], s[C.Returned], s[C.Extended], s[C.Escalated]));

    /// <summary>Four decimals, as the district publishes them (99.72%).</summary>
    public static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4, MidpointRounding.AwayFromZero);

    /// <summary>The bound of the first bucket at which the cumulative count reaches the quantile; null in the open last bucket.</summary>
    private static int? Percentile(int[] sums, int first, int[] bounds, double quantile)
    {
        var counts = sums.AsSpan(first, bounds.Length + 1);
        var total = 0;
        foreach (var count in counts)
        {
            total += count;
        }
        if (total == 0)
        {
            return null;
        }
        var needed = (int)Math.Ceiling(quantile * total);
        var cumulative = 0;
        for (var i = 0; i < bounds.Length; i++)
        {
            cumulative += counts[i];
            if (cumulative >= needed)
            {
                return bounds[i];
            }
        }
        return null;
    }
}

public sealed record StatsCounts(
    [property: Description("Cases accepted or past a response deadline (the 及时签收率 denominator)")] int MustAccept,
    [property: Description("Of those, accepted with no response deadline missed")] int AcceptedOnTime,
    [property: Description("Cases resolved at least once")] int ResolvedEver,
    [property: Description("Cases resolved now (resolved or closed after a resolution)")] int ResolvedNow,
    [property: Description("Of those, resolved by the deadline")] int ResolvedOnTime,
    [property: Description("Rated cases")] int Evaluated,
    [property: Description("Rated solved")] int EvaluatedResolved,
    [property: Description("Rated satisfied")] int Satisfied,
    [property: Description("Rated basically satisfied")] int BasicallySatisfied,
    [property: Description("Reopened at least once")] int Reopened,
    [property: Description("Returned at least once")] int Returned,
    [property: Description("Extended at least once")] int Extended,
    [property: Description("Left the community level")] int Escalated);
