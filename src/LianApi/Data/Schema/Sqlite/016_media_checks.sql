-- Photo checks (media_check_async v2): the trace_id WeChat answered when the photo was submitted (the wxa_media_check
-- push names it), WeChat's verdict (Moderation, with its label) and when it came, and when a photo that got no verdict
-- (still pending after 1 h, or WeChat could not judge it) was flagged for a person to look at. The submission itself
-- is a WechatJobs row enqueued in the upload's transaction.
ALTER TABLE Photos ADD COLUMN MediaTraceId TEXT NULL;
ALTER TABLE Photos ADD COLUMN MediaSubmittedAt TEXT NULL;
ALTER TABLE Photos ADD COLUMN ModerationLabel TEXT NULL;
ALTER TABLE Photos ADD COLUMN ModeratedAt TEXT NULL;
ALTER TABLE Photos ADD COLUMN UncheckedAt TEXT NULL;
CREATE UNIQUE INDEX UX_Photos_MediaTraceId ON Photos (MediaTraceId) WHERE MediaTraceId IS NOT NULL;
-- The photo sweep's search for photos still waiting for a verdict: few rows, whatever the size of the table.
CREATE INDEX IX_Photos_Pending ON Photos (CreatedAt) WHERE Moderation = 'pending' AND UncheckedAt IS NULL;
