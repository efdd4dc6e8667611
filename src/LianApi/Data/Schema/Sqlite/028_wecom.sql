-- WeCom (企业微信 / 政务微信) application messages for staff. A staff member's WeCom user id is set by the
-- organisation's WeCom admin and imported with the staff list; one id is one person.
ALTER TABLE Staff ADD COLUMN WecomUserId TEXT NULL;
CREATE UNIQUE INDEX UX_Staff_WecomUserId ON Staff (WecomUserId) WHERE WecomUserId IS NOT NULL;

-- WeCom messages share the outbox (and its leases) with subscribe messages, but one goes to a unit's mapped staff in
-- one call (touser a|b|c), so it has no single user: UserId becomes nullable, which SQLite can only do by rebuilding
-- the table. Channel is null for subscribe messages; DedupKey makes a sweep-written message (a deadline warning, a
-- morning to-do) exist once however many instances or runs write it.
CREATE TABLE Notifications_028 (
    Id INTEGER PRIMARY KEY,
    Event TEXT NOT NULL,
    UserId INTEGER NULL REFERENCES Users (Id),
    ComplaintId INTEGER NULL REFERENCES Complaints (Id),
    TrackingNo TEXT NULL,
    Facts TEXT NOT NULL,
    Status TEXT NOT NULL,
    Attempts INTEGER NOT NULL,
    CreatedAt TEXT NOT NULL,
    DueAt TEXT NOT NULL,
    LeaseOwner TEXT NULL,
    LeaseUntil TEXT NULL,
    CreditReserved INTEGER NOT NULL,
    TemplateId TEXT NULL,
    Data TEXT NULL,
    ErrCode INTEGER NULL,
    LastError TEXT NULL,
    FinishedAt TEXT NULL,
    Channel TEXT NULL,
    UnitLevel TEXT NULL,
    UnitId INTEGER NULL,
    DedupKey TEXT NULL
);
INSERT INTO Notifications_028 (Id, Event, UserId, ComplaintId, TrackingNo, Facts, Status, Attempts, CreatedAt, DueAt, LeaseOwner, LeaseUntil,
    CreditReserved, TemplateId, Data, ErrCode, LastError, FinishedAt)
SELECT Id, Event, UserId, ComplaintId, TrackingNo, Facts, Status, Attempts, CreatedAt, DueAt, LeaseOwner, LeaseUntil,
    CreditReserved, TemplateId, Data, ErrCode, LastError, FinishedAt
FROM Notifications;
DROP TABLE Notifications;
ALTER TABLE Notifications_028 RENAME TO Notifications;
CREATE INDEX IX_Notifications_Due ON Notifications (DueAt) WHERE Status = 'pending';
CREATE INDEX IX_Notifications_Status ON Notifications (Status, Id);
CREATE INDEX IX_Notifications_UserId ON Notifications (UserId);
CREATE INDEX IX_Notifications_ComplaintId ON Notifications (ComplaintId) WHERE ComplaintId IS NOT NULL;
CREATE UNIQUE INDEX UX_Notifications_DedupKey ON Notifications (DedupKey) WHERE DedupKey IS NOT NULL;
