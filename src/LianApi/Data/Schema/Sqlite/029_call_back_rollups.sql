-- 回访 figures from the rollups: each case keeps its last call-back's answer (the call-back figures count the last one
-- only), and StatsRollups counts them, so the figures of the units that resolved cases read days x units, like every
-- other measure, never the period's cases and their call-backs. The rows by resolving unit are written at the first
-- start after this migration (StatsBackfill rebuilds the rollups when resolved cases have none).
ALTER TABLE Complaints ADD COLUMN LastCallBackResolved INTEGER NULL;
ALTER TABLE Complaints ADD COLUMN LastCallBackSatisfaction TEXT NULL;
-- The answer of the latest call (the highest Id) of each case called back before this migration.
UPDATE Complaints SET
    LastCallBackResolved = (SELECT b.Resolved FROM CallBacks b
        WHERE b.Id = (SELECT MAX(x.Id) FROM CallBacks x WHERE x.ComplaintId = Complaints.Id)),
    LastCallBackSatisfaction = (SELECT b.Satisfaction FROM CallBacks b
        WHERE b.Id = (SELECT MAX(x.Id) FROM CallBacks x WHERE x.ComplaintId = Complaints.Id))
WHERE Id IN (SELECT ComplaintId FROM CallBacks);

ALTER TABLE StatsRollups ADD COLUMN CalledBack INTEGER NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD COLUMN CallBackSaidResolved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD COLUMN CallBackSatisfied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD COLUMN CallBackBasicallySatisfied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD COLUMN CallBackUnsatisfied INTEGER NOT NULL DEFAULT 0;
