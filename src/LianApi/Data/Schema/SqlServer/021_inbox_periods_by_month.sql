-- A period in the urgent order, at any length: the page is the merge of one short ordered seek per month the period
-- touches, each stopping at a page (ReceivedMonth: the Beijing month received, yyyymm, derived from SubmittedAt so no
-- writer can let it drift). Sorting the period's entries instead cost 37 ms p50 / 63 ms p99 for a whole year at a
-- million cases on SQLite, and grew with the period.
ALTER TABLE Complaints ADD ReceivedMonth AS (YEAR(DATEADD(hour, 8, SubmittedAt)) * 100 + MONTH(DATEADD(hour, 8, SubmittedAt))) PERSISTED;
GO
-- Every column a scope, a filter or the order reads, as in IX_Complaints_Received: a branch never reads the table.
CREATE INDEX IX_Complaints_Month_Urgent ON Complaints (ReceivedMonth, UrgencyRank, DueSort, Id) INCLUDE (SubmittedAt,
    StreetId, CommunityId, HandlingLevel, HandlingUnitId, CategoryId, Status, IsOverdue, ContentReview, ContentUnchecked,
    WhistlePending, GridId, AssignedStaffId, RecordedByStaffId);
-- A flag asked set (overdue, content review, unchecked, a whistle waiting) selects few cases: newest first is by the time
-- received, so one index per flag finds its cases in any period, read backwards without a sort (the urgent order sorts
-- the few). Content review in the year before last took 73 ms p50 a page at a million cases through the period's index;
-- the (flag, Id) indexes these replace could not bound the time received.
DROP INDEX IX_Complaints_Overdue_Id ON Complaints;
DROP INDEX IX_Complaints_ContentReview_Id ON Complaints;
DROP INDEX IX_Complaints_ContentUnchecked_Id ON Complaints;
DROP INDEX IX_Complaints_WhistlePending_Id ON Complaints;
CREATE INDEX IX_Complaints_Overdue_Received ON Complaints (IsOverdue, SubmittedAt, Id);
CREATE INDEX IX_Complaints_ContentReview_Received ON Complaints (ContentReview, SubmittedAt, Id);
CREATE INDEX IX_Complaints_ContentUnchecked_Received ON Complaints (ContentUnchecked, SubmittedAt, Id);
CREATE INDEX IX_Complaints_WhistlePending_Received ON Complaints (WhistlePending, SubmittedAt, Id);
