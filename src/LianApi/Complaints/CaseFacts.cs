using LianApi.Shared;

namespace LianApi.Complaints;

/// <summary>
/// Keeps the facts of a case that its measures need and its state alone forgets (a return, a missed response deadline,
/// the first acceptance, the latest rating, the latest call-back, the last whistle and its report, who resolved it), read
/// from what a transition did: its events, its rating, its call-back and the staff member who acted.
/// </summary>
public static class CaseFacts
{
    public static Complaint Advance(Complaint before, Complaint next, IReadOnlyList<ComplaintEvent> events, Evaluation? evaluation, CallBack? callBack,
        long? staffId, DateTime now)
    {
        bool Has(string kind) => events.Any(e => e.Kind == kind);
        var whistled = Has(EventKinds.Whistled);
        var missed = Has(EventKinds.AutoEscalated) || (Has(EventKinds.Overdue) && before.Status == ComplaintStatus.Submitted);
        return next with
        {
            FirstAcceptedAt = before.FirstAcceptedAt ?? (Has(EventKinds.Accepted) ? now : null),
            ResponseMissed = before.ResponseMissed || missed,
            ReturnCount = before.ReturnCount + events.Count(e => e.Kind == EventKinds.Returned),
            ExtensionCount = before.ExtensionCount + events.Count(e => e.Kind == EventKinds.ExtensionApproved),
            LeftCommunityLevel = before.LeftCommunityLevel || next.HandlingLevel != HandlingLevel.Community,
            ResolutionCount = before.ResolutionCount + events.Count(e => e.Kind == EventKinds.Resolved),
            ResolvedWorkingDays = next.ResolvedAt is null ? null : next.ResolvedWorkingDays ?? before.ResolvedWorkingDays,
            LastEvaluationResolved = evaluation?.Resolved ?? before.LastEvaluationResolved,
            LastSatisfaction = evaluation?.Satisfaction ?? before.LastSatisfaction,
            LastCallBackResolved = callBack?.Resolved ?? before.LastCallBackResolved,
            LastCallBackSatisfaction = callBack?.Satisfaction ?? before.LastCallBackSatisfaction,
            // A new whistle starts over: its department has not reported yet.
            WhistledDepartmentId = whistled ? next.HandlingUnitId : before.WhistledDepartmentId,
            WhistleReported = (!whistled && before.WhistleReported) || Has(EventKinds.Reported) || Has(EventKinds.ReportedLate),
            WhistleReportedOnTime = (!whistled && before.WhistleReportedOnTime) || Has(EventKinds.Reported),
            LastResolvedByStaffId = Has(EventKinds.Resolved) ? staffId : before.LastResolvedByStaffId,
        };
    }
}
