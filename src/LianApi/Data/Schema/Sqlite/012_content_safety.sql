-- Content safety: what WeChat's text check said of a report (review: a person looks at it; unchecked: WeChat could
-- not judge it), the message-push events WeChat sends us, and the durable queue of outbound WeChat work.
ALTER TABLE Complaints ADD COLUMN ContentReview INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN ContentUnchecked INTEGER NOT NULL DEFAULT 0;

-- Every push WeChat sent, verified, once per the event's own identity (WeChat retries a push it thinks we missed).
CREATE TABLE WechatPushEvents (
    Id INTEGER PRIMARY KEY,
    EventKey TEXT NOT NULL UNIQUE,
    Event TEXT NOT NULL,
    Body TEXT NOT NULL,
    ReceivedAt TEXT NOT NULL,
    ProcessedAt TEXT NULL
);

-- Outbound and deferred WeChat work (push events to apply, media checks to submit, ...): claimed by a guarded update,
-- retried with backoff, so a crash between storing and doing never skips a job.
CREATE TABLE WechatJobs (
    Id INTEGER PRIMARY KEY,
    Kind TEXT NOT NULL,
    DedupKey TEXT NULL,
    Payload TEXT NOT NULL,
    Attempts INTEGER NOT NULL,
    NextAttemptAt TEXT NULL,
    ClaimedBy TEXT NULL,
    ClaimedUntil TEXT NULL,
    LastError TEXT NULL,
    CreatedAt TEXT NOT NULL,
    CompletedAt TEXT NULL,
    FailedAt TEXT NULL
);
CREATE UNIQUE INDEX UX_WechatJobs_DedupKey ON WechatJobs (DedupKey) WHERE DedupKey IS NOT NULL;
CREATE INDEX IX_WechatJobs_NextAttemptAt ON WechatJobs (NextAttemptAt) WHERE NextAttemptAt IS NOT NULL;
