-- WeChat subscribe messages. Notifications is the outbox: a row is written in the same transaction as the case
-- transition that causes it, and sent later by whichever instance claims it (a lease with expiry).
CREATE TABLE Notifications (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Event nvarchar(40) NOT NULL,
    UserId bigint NOT NULL CONSTRAINT FK_Notifications_Users REFERENCES Users (Id),
    ComplaintId bigint NULL CONSTRAINT FK_Notifications_Complaints REFERENCES Complaints (Id),
    TrackingNo nvarchar(32) NULL,
    Facts nvarchar(max) NOT NULL,
    Status nvarchar(16) NOT NULL,
    Attempts int NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    DueAt datetime2(7) NOT NULL,
    LeaseOwner nvarchar(200) NULL,
    LeaseUntil datetime2(7) NULL,
    CreditReserved bit NOT NULL,
    TemplateId nvarchar(128) NULL,
    Data nvarchar(max) NULL,
    ErrCode int NULL,
    LastError nvarchar(400) NULL,
    FinishedAt datetime2(7) NULL
);
CREATE INDEX IX_Notifications_Due ON Notifications (DueAt) WHERE Status = N'pending';
CREATE INDEX IX_Notifications_Status ON Notifications (Status, Id);
CREATE INDEX IX_Notifications_UserId ON Notifications (UserId);
CREATE INDEX IX_Notifications_ComplaintId ON Notifications (ComplaintId) WHERE ComplaintId IS NOT NULL;

-- One-time subscriptions: each accept is a credit for one message of that template to that user. Accepts arrive
-- from two sources (the client's POST and WeChat's popup push) for the same tap; within a short window the second
-- source confirms the first instead of adding a credit.
CREATE TABLE SubscriptionCredits (
    UserId bigint NOT NULL CONSTRAINT FK_SubscriptionCredits_Users REFERENCES Users (Id),
    TemplateId nvarchar(128) NOT NULL,
    Credits int NOT NULL,
    WindowStart datetime2(7) NOT NULL,
    ClientGrants int NOT NULL,
    PushGrants int NOT NULL,
    UpdatedAt datetime2(7) NOT NULL,
    CONSTRAINT PK_SubscriptionCredits PRIMARY KEY (UserId, TemplateId)
);

-- Push events already counted, so a push applied again after a failure never grants twice.
CREATE TABLE SubscriptionPushes (
    PushKey nvarchar(200) NOT NULL PRIMARY KEY,
    AppliedAt datetime2(7) NOT NULL
);

-- Emulator mode: what would have been sent, for the front-end team to watch (Development only).
CREATE TABLE EmulatedMessages (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    NotificationId bigint NOT NULL,
    ToUser nvarchar(128) NOT NULL,
    TemplateId nvarchar(128) NOT NULL,
    Page nvarchar(512) NULL,
    Data nvarchar(max) NOT NULL,
    SentAt datetime2(7) NOT NULL
);
