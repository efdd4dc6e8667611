using LianApi.Complaints;

namespace LianApi.Stats;

/// <summary>
/// What one case adds to the district's numbers, as counts (0 or 1 each): the same function serves the rollups kept
/// by every transition (the delta of before and after) and the full recount that checks them. The measures' formulas
/// divide sums of these (see Stats/Measures.cs); a case counts in the Beijing day it was submitted.
/// </summary>
public static class CaseCounters
{
    public const int Received = 0;
    public const int Handled = 1;
    public const int Rejected = 2;
    public const int ResolvedEver = 3;
    public const int ResolvedNow = 4;
    public const int ResolvedOnTime = 5;
    public const int MustAccept = 6;
    public const int AcceptedOnTime = 7;
    public const int Evaluated = 8;
    public const int EvaluatedResolved = 9;
    public const int Satisfied = 10;
    public const int BasicallySatisfied = 11;
    public const int AutoClosed = 12;
    public const int Reopened = 13;
    public const int Returned = 14;
    public const int Extended = 15;
    public const int Escalated = 16;
    public const int OverdueNow = 17;
    public const int UnsatisfiedPending = 18;
    public const int AcceptWithin0 = 19;
    public const int ResolveWithin0 = AcceptWithin0 + 9;
    // The dispatch center's last call-back (回访) of the case, if any: counted by resolving unit (RollupDimensions.Resolver).
    public const int CalledBack = ResolveWithin0 + 11;
    public const int CallBackSaidResolved = CalledBack + 1;
    public const int CallBackSatisfied = CalledBack + 2;
    public const int CallBackBasicallySatisfied = CalledBack + 3;
    public const int CallBackUnsatisfied = CalledBack + 4;
    // The case's last whistle (吹哨) and whether its department reported (报到), on time or late: by whistled department
    // (RollupDimensions.Whistle) they are the whistle figures.
    public const int Whistled = CallBackUnsatisfied + 1;
    public const int WhistleReported = Whistled + 1;
    public const int WhistleReportedOnTime = Whistled + 2;
    public const int Count = WhistleReportedOnTime + 1;

    /// <summary>Upper bounds (hours, calendar time) of the time-to-accept buckets AcceptWithin0…7; AcceptWithin8 is open.</summary>
    public static readonly int[] AcceptHourBounds = [1, 2, 4, 8, 12, 24, 48, 72];

    /// <summary>Upper bounds (working days after the day of submission) of ResolveWithin0…9; ResolveWithin10 is open.</summary>
    public static readonly int[] ResolveDayBounds = [0, 1, 2, 3, 5, 7, 10, 15, 20, 30];

    /// <summary>The counters' column names in StatsRollups, by index.</summary>
    public static readonly string[] Columns =
    [
        "Received", "Handled", "Rejected", "ResolvedEver", "ResolvedNow", "ResolvedOnTime", "MustAccept", "AcceptedOnTime", "Evaluated", "EvaluatedResolved", "Satisfied", "BasicallySatisfied", "AutoClosed", "Reopened", "Returned", "Extended", "Escalated", "OverdueNow", "UnsatisfiedPending",
        .. Enumerable.Range(0, 9).Select(i => $"AcceptWithin{i}"), .. Enumerable.Range(0, 11).Select(i => $"ResolveWithin{i}"),
        "CalledBack", "CallBackSaidResolved", "CallBackSatisfied", "CallBackBasicallySatisfied", "CallBackUnsatisfied",
        "Whistled", "WhistleReported", "WhistleReportedOnTime",
    ];

    private static int Flag(bool value) => value ? 1 : 0;

    public static int[] Of(Complaint c)
    {
        var open = c.Status is ComplaintStatus.Submitted or ComplaintStatus.Accepted or ComplaintStatus.InProgress;
        var rated = c.LastSatisfaction is not null;
        var v = new int[Count];
        v[Received] = 1;
        v[Handled] = Flag(c.Status is ComplaintStatus.Resolved or ComplaintStatus.Closed or ComplaintStatus.Rejected);
        v[Rejected] = Flag(c.Status == ComplaintStatus.Rejected);
        v[ResolvedEver] = Flag(c.ResolutionCount > 0);
        v[ResolvedNow] = Flag(c.ResolvedAt is not null);
        v[ResolvedOnTime] = Flag(c.ResolvedAt is { } resolved && c.ResolutionDueAt is { } due && resolved <= due);
        v[MustAccept] = Flag(c.FirstAcceptedAt is not null || c.ResponseMissed);
        v[AcceptedOnTime] = Flag(c.FirstAcceptedAt is not null && !c.ResponseMissed);
        v[Evaluated] = Flag(rated);
        v[EvaluatedResolved] = Flag(rated && c.LastEvaluationResolved == true);
        v[Satisfied] = Flag(c.LastSatisfaction == Satisfaction.Satisfied);
        v[BasicallySatisfied] = Flag(c.LastSatisfaction == Satisfaction.BasicallySatisfied);
        v[AutoClosed] = Flag(c.CloseReason == CloseReasons.NotEvaluated);
        v[Reopened] = Flag(c.ReopenCount > 0);
        v[Returned] = Flag(c.ReturnCount > 0);
        v[Extended] = Flag(c.ExtensionCount > 0);
        v[Escalated] = Flag(c.LeftCommunityLevel);
        v[OverdueNow] = Flag(open && c.IsOverdue);
        v[UnsatisfiedPending] = Flag(open && rated && (c.LastSatisfaction == Satisfaction.Unsatisfied || c.LastEvaluationResolved == false));
        v[CalledBack] = Flag(c.LastCallBackSatisfaction is not null);
        v[CallBackSaidResolved] = Flag(c.LastCallBackSatisfaction is not null && c.LastCallBackResolved == true);
        v[CallBackSatisfied] = Flag(c.LastCallBackSatisfaction == Satisfaction.Satisfied);
        v[CallBackBasicallySatisfied] = Flag(c.LastCallBackSatisfaction == Satisfaction.BasicallySatisfied);
        v[CallBackUnsatisfied] = Flag(c.LastCallBackSatisfaction == Satisfaction.Unsatisfied);
        v[Whistled] = Flag(c.WhistledDepartmentId is not null);
        v[WhistleReported] = Flag(c.WhistledDepartmentId is not null && c.WhistleReported);
        v[WhistleReportedOnTime] = Flag(c.WhistledDepartmentId is not null && c.WhistleReportedOnTime);
        if (c.FirstAcceptedAt is { } accepted)
        {
            v[AcceptWithin0 + Bucket(AcceptHourBounds, (accepted - c.SubmittedAt).TotalHours)] = 1;
        }
        if (c.ResolvedAt is not null && c.ResolvedWorkingDays is { } days)
        {
            v[ResolveWithin0 + Bucket(ResolveDayBounds, days)] = 1;
        }
        return v;
    }

    private static int Bucket(int[] bounds, double value)
    {
        var index = Array.FindIndex(bounds, b => value <= b);
        return index < 0 ? bounds.Length : index;
    }
}
