-- The district's numbers (三率, 零遗漏/零延误/零差评). Each case keeps the facts its measures need, set by its
-- transitions; StatsRollups holds the sums per Beijing day of submission (Day = yyyymmdd) by dimension, changed
-- by the delta of each transition in the same transaction, so a stats call reads days x groups, never the cases.
ALTER TABLE Complaints ADD COLUMN FirstAcceptedAt TEXT NULL;
ALTER TABLE Complaints ADD COLUMN ResponseMissed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN ReturnCount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN ExtensionCount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN LeftCommunityLevel INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN ResolutionCount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN ResolvedWorkingDays INTEGER NULL;
ALTER TABLE Complaints ADD COLUMN LastEvaluationResolved INTEGER NULL;
ALTER TABLE Complaints ADD COLUMN LastSatisfaction TEXT NULL;
-- Facts of the cases filed before this migration, from their timelines (working days to resolve stay unknown).
UPDATE Complaints SET
    FirstAcceptedAt = (SELECT MIN(e.OccurredAt) FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id AND e.Kind = 'accepted'),
    ResponseMissed = CASE WHEN EXISTS (SELECT 1 FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id
        AND (e.Kind = 'auto_escalated' OR (e.Kind = 'overdue' AND e.Status = 'submitted'))) THEN 1 ELSE 0 END,
    ReturnCount = (SELECT COUNT(*) FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id AND e.Kind = 'returned'),
    ExtensionCount = (SELECT COUNT(*) FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id AND e.Kind = 'extension_approved'),
    LeftCommunityLevel = CASE WHEN HandlingLevel <> 'community' OR EXISTS (SELECT 1 FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id
        AND e.Kind IN ('escalated', 'auto_escalated', 'dispatched')) THEN 1 ELSE 0 END,
    ResolutionCount = (SELECT COUNT(*) FROM ComplaintEvents e WHERE e.ComplaintId = Complaints.Id AND e.Kind = 'resolved'),
    LastEvaluationResolved = (SELECT v.Resolved FROM ComplaintEvaluations v WHERE v.ComplaintId = Complaints.Id
        AND v.Round = (SELECT MAX(w.Round) FROM ComplaintEvaluations w WHERE w.ComplaintId = Complaints.Id)),
    LastSatisfaction = (SELECT v.Satisfaction FROM ComplaintEvaluations v WHERE v.ComplaintId = Complaints.Id
        AND v.Round = (SELECT MAX(w.Round) FROM ComplaintEvaluations w WHERE w.ComplaintId = Complaints.Id));

CREATE TABLE StatsRollups (
    Dimension TEXT NOT NULL,
    Key1 INTEGER NOT NULL,
    Key2 INTEGER NOT NULL,
    Day INTEGER NOT NULL,
    Received INTEGER NOT NULL,
    Handled INTEGER NOT NULL,
    Rejected INTEGER NOT NULL,
    ResolvedEver INTEGER NOT NULL,
    ResolvedNow INTEGER NOT NULL,
    ResolvedOnTime INTEGER NOT NULL,
    MustAccept INTEGER NOT NULL,
    AcceptedOnTime INTEGER NOT NULL,
    Evaluated INTEGER NOT NULL,
    EvaluatedResolved INTEGER NOT NULL,
    Satisfied INTEGER NOT NULL,
    BasicallySatisfied INTEGER NOT NULL,
    AutoClosed INTEGER NOT NULL,
    Reopened INTEGER NOT NULL,
    Returned INTEGER NOT NULL,
    Extended INTEGER NOT NULL,
    Escalated INTEGER NOT NULL,
    OverdueNow INTEGER NOT NULL,
    UnsatisfiedPending INTEGER NOT NULL,
    AcceptWithin0 INTEGER NOT NULL,
    AcceptWithin1 INTEGER NOT NULL,
    AcceptWithin2 INTEGER NOT NULL,
    AcceptWithin3 INTEGER NOT NULL,
    AcceptWithin4 INTEGER NOT NULL,
    AcceptWithin5 INTEGER NOT NULL,
    AcceptWithin6 INTEGER NOT NULL,
    AcceptWithin7 INTEGER NOT NULL,
    AcceptWithin8 INTEGER NOT NULL,
    ResolveWithin0 INTEGER NOT NULL,
    ResolveWithin1 INTEGER NOT NULL,
    ResolveWithin2 INTEGER NOT NULL,
    ResolveWithin3 INTEGER NOT NULL,
    ResolveWithin4 INTEGER NOT NULL,
    ResolveWithin5 INTEGER NOT NULL,
    ResolveWithin6 INTEGER NOT NULL,
    ResolveWithin7 INTEGER NOT NULL,
    ResolveWithin8 INTEGER NOT NULL,
    ResolveWithin9 INTEGER NOT NULL,
    ResolveWithin10 INTEGER NOT NULL,
    PRIMARY KEY (Dimension, Key1, Day, Key2)
);
