-- The deadline sweep reads the cases whose next deadline has come (set by every transition), one instance at a
-- time under a lease; the idempotency pruner deletes by age through an index.
ALTER TABLE Complaints ADD COLUMN NextSweepAt TEXT NULL;
UPDATE Complaints SET NextSweepAt = CASE
    WHEN Status = 'submitted' AND (HandlingLevel IN ('community', 'street') OR IsOverdue = 0) THEN ResponseDueAt
    WHEN Status IN ('accepted', 'in_progress') AND IsOverdue = 0 THEN ResolutionDueAt
    WHEN Status = 'resolved' THEN strftime('%Y-%m-%d %H:%M:%f', ResolvedAt, '+7 days')
    ELSE NULL END;
CREATE INDEX IX_Complaints_NextSweepAt ON Complaints (NextSweepAt) WHERE NextSweepAt IS NOT NULL;

CREATE TABLE Leases (
    Name TEXT NOT NULL PRIMARY KEY,
    Owner TEXT NOT NULL,
    Until TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO Leases (Name, Owner, Until) VALUES ('deadline-sweep', '', '2000-01-01 00:00:00');
INSERT INTO Leases (Name, Owner, Until) VALUES ('idempotency-pruner', '', '2000-01-01 00:00:00');

CREATE INDEX IX_IdempotencyKeys_CreatedAt ON IdempotencyKeys (CreatedAt);
CREATE INDEX IX_ComplaintEvents_StaffId ON ComplaintEvents (StaffId) WHERE StaffId IS NOT NULL;
CREATE INDEX IX_ComplaintEvents_ActorUserId ON ComplaintEvents (ActorUserId) WHERE ActorUserId IS NOT NULL;
CREATE INDEX IX_PhoneReveals_ComplaintId ON PhoneReveals (ComplaintId);
CREATE INDEX IX_PhoneReveals_StaffId ON PhoneReveals (StaffId);
