using LianApi.Shared;

namespace LianApi.Complaints;

/// <summary>
/// One complaint (诉求) and its handling facts: the one row type of the Complaints table. The machine turns one
/// into the next; the store writes it guarded by <see cref="Version"/>. Names of units and categories come from
/// the in-memory org directory, not from joins.
/// </summary>
public sealed record Complaint
{
    public long Id { get; init; }
    public string TrackingNo { get; init; } = "";
    public int Version { get; init; }
    public long UserId { get; init; }
    public string Description { get; init; } = "";
    public string? Address { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? ContactPhoneMasked { get; init; }
    public bool Anonymous { get; init; }
    public DateTime SubmittedAt { get; init; }
    public long CommunityId { get; init; }
    public long CategoryId { get; init; }
    public string Status { get; init; } = "";
    public string HandlingLevel { get; init; } = "";
    public long? HandlingUnitId { get; init; }
    public long? DepartmentId { get; init; }
    public DateTime ReceivedAt { get; init; }
    public DateTime ResponseDueAt { get; init; }
    public DateTime? AcceptedAt { get; init; }
    public DateTime? ResolutionDueAt { get; init; }
    public bool IsOverdue { get; init; }
    public bool IsSupervised { get; init; }
    public int UrgeCount { get; init; }
    public DateTime? LastUrgedAt { get; init; }
    public DateTime? ExtensionRequestedUntil { get; init; }
    public int ReopenCount { get; init; }
    public string? LastHandlingLevel { get; init; }
    public long? LastHandlingUnitId { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public DateTime? ClosedAt { get; init; }
    public string? CloseReason { get; init; }
    public string Channel { get; init; } = Channels.MiniProgram;
    public long? GridId { get; init; }
    public long? RecordedByStaffId { get; init; }
    public long? AssignedStaffId { get; init; }
    public bool CallbackWanted { get; init; }
    /// <summary>Whistled (吹哨) to a paired department that has not reported (报到, accepted) yet.</summary>
    public bool WhistlePending { get; init; }
    public string? GridCode { get; init; }
    public string? GridName { get; init; }
    public string? AssignedStaffName { get; init; }
    /// <summary>WeChat's text check said "review": the dispatch center looks at the resident's text.</summary>
    public bool ContentReview { get; init; }
    /// <summary>WeChat could not judge the resident's text (down, busy, 61010): accepted unchecked, for a person to look at.</summary>
    public bool ContentUnchecked { get; init; }
    /// <summary>The resident agreed at submission that the case may appear on the public wall (办结公示) and in Open311.</summary>
    public bool PublicConsent { get; init; }
    /// <summary>Staff withdrew the case from the wall (unpublish, with an internal reason); it stays withdrawn.</summary>
    public bool Unpublished { get; init; }
    /// <summary>The Open311 partner that filed the report (channel open311), else null.</summary>
    public string? Partner { get; init; }

    /// <summary>On the public wall and in Open311: consented, not withdrawn, and resolved or closed.</summary>
    public bool IsPublic => PublicConsent && !Unpublished && Status is ComplaintStatus.Resolved or ComplaintStatus.Closed;

    // Facts the district's numbers need (CaseFacts keeps them; CaseCounters reads them).
    public DateTime? FirstAcceptedAt { get; init; }
    public bool ResponseMissed { get; init; }
    public int ReturnCount { get; init; }
    public int ExtensionCount { get; init; }
    public bool LeftCommunityLevel { get; init; }
    public int ResolutionCount { get; init; }
    public int? ResolvedWorkingDays { get; init; }
    public bool? LastEvaluationResolved { get; init; }
    public string? LastSatisfaction { get; init; }
    /// <summary>What the resident said at the dispatch center's latest call-back (回访); null until called back.</summary>
    public bool? LastCallBackResolved { get; init; }
    public string? LastCallBackSatisfaction { get; init; }
    /// <summary>The department of the case's last whistle (吹哨), and whether it reported (报到) after it, on time or late.</summary>
    public long? WhistledDepartmentId { get; init; }
    public bool WhistleReported { get; init; }
    public bool WhistleReportedOnTime { get; init; }
    /// <summary>The staff member who resolved the case last (办结人); null when never resolved or resolved by the system.</summary>
    public long? LastResolvedByStaffId { get; init; }

    // From the org directory (see ComplaintStore.Named).
    public long StreetId { get; init; }
    public string StreetName { get; init; } = "";
    public string CommunityCode { get; init; } = "";
    public string CommunityName { get; init; } = "";
    public string CategoryCode { get; init; } = "";
    public string CategoryName { get; init; } = "";
    public bool CategoryIsEmergency { get; init; }
    public string? CategoryHotline { get; init; }
    public int ResponseHours { get; init; }
    public int ResolutionWorkingDays { get; init; }
    public bool CategoryRequiresResolutionPhoto { get; init; }
    public string HandlingUnitName { get; init; } = "";

    public bool IsTerminal => Status is ComplaintStatus.Closed or ComplaintStatus.Rejected;

    /// <summary>The deadline running now: accepting while submitted, resolving while being handled; null once resolved, closed or rejected.</summary>
    public DateTime? DueAt => Status switch
    {
        ComplaintStatus.Submitted => ResponseDueAt,
        ComplaintStatus.Accepted or ComplaintStatus.InProgress => ResolutionDueAt,
        ComplaintStatus.Resolved or ComplaintStatus.Closed or ComplaintStatus.Rejected => null,
        _ => throw Vocabulary.Unknown("statuses", Status),
    };

    /// <summary>When the deadline sweep next has to look at this case; null once no deadline can pass any more.</summary>
    public DateTime? NextSweepAt => Status switch
    {
        ComplaintStatus.Submitted when !IsOverdue || WhistlePending || HandlingLevel is Shared.HandlingLevel.Community or Shared.HandlingLevel.Street => ResponseDueAt,
        ComplaintStatus.Accepted or ComplaintStatus.InProgress when !IsOverdue => ResolutionDueAt,
        ComplaintStatus.Resolved => ResolvedAt + ComplaintMachine.EvaluationWindow,
        _ => null,
    };

    /// <summary>Inbox order: overdue first, then supervised (督办), then urged (催办).</summary>
    public int Priority => (IsOverdue ? 4 : 0) + (IsSupervised ? 2 : 0) + (UrgeCount > 0 ? 1 : 0);

    /// <summary>The highest priority: overdue, supervised and urged.</summary>
    public const int MaxPriority = 7;

    /// <summary>The urgent order as stored (ascending, so one index serves it and its keyset): the most urgent first.</summary>
    public int UrgencyRank => UrgencyRankOf(Priority);

    /// <summary>A new report's rank: not overdue, supervised or urged.</summary>
    public const int NewReportRank = MaxPriority;

    public static int UrgencyRankOf(int priority) => MaxPriority - priority;

    /// <summary>The first rank of a case that is not overdue (overdue adds 4 to the priority).</summary>
    public const int OnTimeRank = 4;

    /// <summary>The running deadline for the urgent order; cases without one come after every case that has one.</summary>
    public DateTime DueSort => DueAt ?? NoDeadline;

    public static readonly DateTime NoDeadline = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);
}
