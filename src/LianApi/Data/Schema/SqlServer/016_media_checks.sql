-- Photo checks (media_check_async v2): the trace_id WeChat answered when the photo was submitted (the wxa_media_check
-- push names it), WeChat's verdict (Moderation, with its label) and when it came, and when a photo that got no verdict
-- (still pending after 1 h, or WeChat could not judge it) was flagged for a person to look at. The submission itself
-- is a WechatJobs row enqueued in the upload's transaction.
ALTER TABLE Photos ADD
    MediaTraceId nvarchar(128) COLLATE Latin1_General_100_BIN2 NULL,
    MediaSubmittedAt datetime2(7) NULL,
    ModerationLabel nvarchar(20) NULL,
    ModeratedAt datetime2(7) NULL,
    UncheckedAt datetime2(7) NULL;
GO
CREATE UNIQUE INDEX UX_Photos_MediaTraceId ON Photos (MediaTraceId) WHERE MediaTraceId IS NOT NULL;
-- The photo sweep's search for photos still waiting for a verdict: few rows, whatever the size of the table.
CREATE INDEX IX_Photos_Pending ON Photos (CreatedAt) WHERE Moderation = N'pending' AND UncheckedAt IS NULL;
