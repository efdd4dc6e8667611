-- Content safety: what WeChat's text check said of a report (review: a person looks at it; unchecked: WeChat could
-- not judge it), the message-push events WeChat sends us, and the durable queue of outbound WeChat work.
ALTER TABLE Complaints ADD ContentReview bit NOT NULL CONSTRAINT DF_Complaints_ContentReview DEFAULT 0;
ALTER TABLE Complaints ADD ContentUnchecked bit NOT NULL CONSTRAINT DF_Complaints_ContentUnchecked DEFAULT 0;

-- Every push WeChat sent, verified, once per the event's own identity (WeChat retries a push it thinks we missed).
CREATE TABLE WechatPushEvents (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    EventKey nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT UQ_WechatPushEvents_EventKey UNIQUE,
    Event nvarchar(64) NOT NULL,
    Body nvarchar(max) NOT NULL,
    ReceivedAt datetime2(7) NOT NULL,
    ProcessedAt datetime2(7) NULL
);

-- Outbound and deferred WeChat work (push events to apply, media checks to submit, ...): claimed by a guarded update,
-- retried with backoff, so a crash between storing and doing never skips a job.
CREATE TABLE WechatJobs (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Kind nvarchar(50) NOT NULL,
    DedupKey nvarchar(200) COLLATE Latin1_General_100_BIN2 NULL,
    Payload nvarchar(max) NOT NULL,
    Attempts int NOT NULL,
    NextAttemptAt datetime2(7) NULL,
    ClaimedBy nvarchar(200) NULL,
    ClaimedUntil datetime2(7) NULL,
    LastError nvarchar(1000) NULL,
    CreatedAt datetime2(7) NOT NULL,
    CompletedAt datetime2(7) NULL,
    FailedAt datetime2(7) NULL
);
CREATE UNIQUE INDEX UX_WechatJobs_DedupKey ON WechatJobs (DedupKey) WHERE DedupKey IS NOT NULL;
CREATE INDEX IX_WechatJobs_NextAttemptAt ON WechatJobs (NextAttemptAt) WHERE NextAttemptAt IS NOT NULL;
