-- The district's numbers (三率, 零遗漏/零延误/零差评). Each case keeps the facts its measures need, set by its
-- transitions; StatsRollups holds the sums per Beijing day of submission (Day = yyyymmdd) by dimension, changed
-- by the delta of each transition in the same transaction, so a stats call reads days x groups, never the cases.
ALTER TABLE Complaints ADD FirstAcceptedAt datetime2(7) NULL;
ALTER TABLE Complaints ADD ResponseMissed bit NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD ReturnCount int NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD ExtensionCount int NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD LeftCommunityLevel bit NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD ResolutionCount int NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD ResolvedWorkingDays int NULL;
ALTER TABLE Complaints ADD LastEvaluationResolved bit NULL;
ALTER TABLE Complaints ADD LastSatisfaction nvarchar(32) NULL;
GO
-- Facts of the cases filed before this migration, from their timelines (working days to resolve stay unknown).
UPDATE Complaints SET
    FirstAcceptedAt = (SELECT MIN(e.OccurredAt) FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id AND e.Kind = N'accepted'),
    ResponseMissed = CASE WHEN EXISTS (SELECT 1 FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id
        AND (e.Kind = N'auto_escalated' OR (e.Kind = N'overdue' AND e.Status = N'submitted'))) THEN 1 ELSE 0 END,
    ReturnCount = (SELECT COUNT(*) FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id AND e.Kind = N'returned'),
    ExtensionCount = (SELECT COUNT(*) FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id AND e.Kind = N'extension_approved'),
    LeftCommunityLevel = CASE WHEN HandlingLevel <> N'community' OR EXISTS (SELECT 1 FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id
        AND e.Kind IN (N'escalated', N'auto_escalated', N'dispatched')) THEN 1 ELSE 0 END,
    ResolutionCount = (SELECT COUNT(*) FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id AND e.Kind = N'resolved'),
    LastEvaluationResolved = (SELECT v.Resolved FROM ComplaintEvaluations v WHERE v.ComplaintId = Complaints.Id
        AND v.Round = (SELECT MAX(w.Round) FROM ComplaintEvaluations w WHERE w.ComplaintId = Complaints.Id)),
    LastSatisfaction = (SELECT v.Satisfaction FROM ComplaintEvaluations v WHERE v.ComplaintId = Complaints.Id
        AND v.Round = (SELECT MAX(w.Round) FROM ComplaintEvaluations w WHERE w.ComplaintId = Complaints.Id));

CREATE TABLE StatsRollups (
    Dimension nvarchar(32) NOT NULL,
    Key1 bigint NOT NULL,
    Key2 bigint NOT NULL,
    Day int NOT NULL,
    Received int NOT NULL,
    Handled int NOT NULL,
    Rejected int NOT NULL,
    ResolvedEver int NOT NULL,
    ResolvedNow int NOT NULL,
    ResolvedOnTime int NOT NULL,
    MustAccept int NOT NULL,
    AcceptedOnTime int NOT NULL,
    Evaluated int NOT NULL,
    EvaluatedResolved int NOT NULL,
    Satisfied int NOT NULL,
    BasicallySatisfied int NOT NULL,
    AutoClosed int NOT NULL,
    Reopened int NOT NULL,
    Returned int NOT NULL,
    Extended int NOT NULL,
    Escalated int NOT NULL,
    OverdueNow int NOT NULL,
    UnsatisfiedPending int NOT NULL,
    AcceptWithin0 int NOT NULL,
    AcceptWithin1 int NOT NULL,
    AcceptWithin2 int NOT NULL,
    AcceptWithin3 int NOT NULL,
    AcceptWithin4 int NOT NULL,
    AcceptWithin5 int NOT NULL,
    AcceptWithin6 int NOT NULL,
    AcceptWithin7 int NOT NULL,
    AcceptWithin8 int NOT NULL,
    ResolveWithin0 int NOT NULL,
    ResolveWithin1 int NOT NULL,
    ResolveWithin2 int NOT NULL,
    ResolveWithin3 int NOT NULL,
    ResolveWithin4 int NOT NULL,
    ResolveWithin5 int NOT NULL,
    ResolveWithin6 int NOT NULL,
    ResolveWithin7 int NOT NULL,
    ResolveWithin8 int NOT NULL,
    ResolveWithin9 int NOT NULL,
    ResolveWithin10 int NOT NULL,
    PRIMARY KEY (Dimension, Key1, Day, Key2)
);
