-- The deadline sweep reads the cases whose next deadline has come (set by every transition), one instance at a
-- time under a lease; the idempotency pruner deletes by age through an index.
ALTER TABLE Complaints ADD NextSweepAt datetime2(7) NULL;
GO
UPDATE Complaints SET NextSweepAt = CASE
    WHEN Status = N'submitted' AND (HandlingLevel IN (N'community', N'street') OR IsOverdue = 0) THEN ResponseDueAt
    WHEN Status IN (N'accepted', N'in_progress') AND IsOverdue = 0 THEN ResolutionDueAt
    WHEN Status = N'resolved' THEN DATEADD(day, 7, ResolvedAt)
    ELSE NULL END;
CREATE INDEX IX_Complaints_NextSweepAt ON Complaints (NextSweepAt) WHERE NextSweepAt IS NOT NULL;

CREATE TABLE Leases (
    Name nvarchar(50) NOT NULL PRIMARY KEY,
    Owner nvarchar(200) NOT NULL,
    Until datetime2(7) NOT NULL
);
INSERT INTO Leases (Name, Owner, Until) VALUES (N'deadline-sweep', N'', '2000-01-01 00:00:00');
INSERT INTO Leases (Name, Owner, Until) VALUES (N'idempotency-pruner', N'', '2000-01-01 00:00:00');

CREATE INDEX IX_IdempotencyKeys_CreatedAt ON IdempotencyKeys (CreatedAt);
CREATE INDEX IX_ComplaintEvents_StaffId ON ComplaintEvents (StaffId) WHERE StaffId IS NOT NULL;
CREATE INDEX IX_ComplaintEvents_ActorUserId ON ComplaintEvents (ActorUserId) WHERE ActorUserId IS NOT NULL;
CREATE INDEX IX_PhoneReveals_ComplaintId ON PhoneReveals (ComplaintId);
CREATE INDEX IX_PhoneReveals_StaffId ON PhoneReveals (StaffId);
