-- WeChat subscribe messages. Notifications is the outbox: a row is written in the same transaction as the case
-- transition that causes it, and sent later by whichever instance claims it (a lease with expiry).
CREATE TABLE Notifications (
    Id INTEGER PRIMARY KEY,
    Event TEXT NOT NULL,
    UserId INTEGER NOT NULL REFERENCES Users (Id),
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
    FinishedAt TEXT NULL
);
CREATE INDEX IX_Notifications_Due ON Notifications (DueAt) WHERE Status = 'pending';
CREATE INDEX IX_Notifications_Status ON Notifications (Status, Id);
CREATE INDEX IX_Notifications_UserId ON Notifications (UserId);
CREATE INDEX IX_Notifications_ComplaintId ON Notifications (ComplaintId) WHERE ComplaintId IS NOT NULL;

-- One-time subscriptions: each accept is a credit for one message of that template to that user. Accepts arrive
-- from two sources (the client's POST and WeChat's popup push) for the same tap; within a short window the second
-- source confirms the first instead of adding a credit.
CREATE TABLE SubscriptionCredits (
    UserId INTEGER NOT NULL REFERENCES Users (Id),
    TemplateId TEXT NOT NULL,
    Credits INTEGER NOT NULL,
    WindowStart TEXT NOT NULL,
    ClientGrants INTEGER NOT NULL,
    PushGrants INTEGER NOT NULL,
    UpdatedAt TEXT NOT NULL,
    PRIMARY KEY (UserId, TemplateId)
) WITHOUT ROWID;

-- Push events already counted, so a push applied again after a failure never grants twice.
CREATE TABLE SubscriptionPushes (
    PushKey TEXT NOT NULL PRIMARY KEY,
    AppliedAt TEXT NOT NULL
) WITHOUT ROWID;

-- Emulator mode: what would have been sent, for the front-end team to watch (Development only).
CREATE TABLE EmulatedMessages (
    Id INTEGER PRIMARY KEY,
    NotificationId INTEGER NOT NULL,
    ToUser TEXT NOT NULL,
    TemplateId TEXT NOT NULL,
    Page TEXT NULL,
    Data TEXT NOT NULL,
    SentAt TEXT NOT NULL
);
