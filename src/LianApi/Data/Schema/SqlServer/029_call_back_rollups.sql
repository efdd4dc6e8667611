-- 回访 figures from the rollups: each case keeps its last call-back's answer (the call-back figures count the last one
-- only), and StatsRollups counts them, so the figures of the units that resolved cases read days x units, like every
-- other measure, never the period's cases and their call-backs. The rows by resolving unit are written at the first
-- start after this migration (StatsBackfill rebuilds the rollups when resolved cases have none).
ALTER TABLE Complaints ADD LastCallBackResolved bit NULL;
ALTER TABLE Complaints ADD LastCallBackSatisfaction nvarchar(20) NULL;
GO
-- The answer of the latest call (the highest Id) of each case called back before this migration.
UPDATE Complaints SET
    LastCallBackResolved = (SELECT b.Resolved FROM CallBacks b
        WHERE b.Id = (SELECT MAX(x.Id) FROM CallBacks x WHERE x.ComplaintId = Complaints.Id)),
    LastCallBackSatisfaction = (SELECT b.Satisfaction FROM CallBacks b
        WHERE b.Id = (SELECT MAX(x.Id) FROM CallBacks x WHERE x.ComplaintId = Complaints.Id))
WHERE Id IN (SELECT ComplaintId FROM CallBacks);

ALTER TABLE StatsRollups ADD CalledBack int NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD CallBackSaidResolved int NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD CallBackSatisfied int NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD CallBackBasicallySatisfied int NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD CallBackUnsatisfied int NOT NULL DEFAULT 0;
