-- A resident's submission limits are decided by two of their reports (the N-th most recent in ten minutes and in a
-- day): a seek here, instead of reading every report they filed that day inside the single writer's transaction.
CREATE INDEX IX_Complaints_User_Submitted ON Complaints (UserId, SubmittedAt);
