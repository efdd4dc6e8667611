-- The inbox at a million cases: the street copied onto the case (a street's scope needs no join), the urgent order
-- persisted (UrgencyRank = 7 - Priority, DueSort = the running deadline or the far future) so one index gives it, and an
-- index per scope and order, each ending in Id, so a page is a seek and a short ordered scan.
ALTER TABLE Complaints ADD StreetId bigint NULL CONSTRAINT FK_Complaints_Streets REFERENCES Streets (Id);
ALTER TABLE Complaints ADD UrgencyRank int NOT NULL CONSTRAINT DF_Complaints_UrgencyRank DEFAULT 7;
ALTER TABLE Complaints ADD DueSort datetime2(7) NOT NULL CONSTRAINT DF_Complaints_DueSort DEFAULT '9999-12-31';
GO
UPDATE Complaints SET
    StreetId = (SELECT m.StreetId FROM Communities m WHERE m.Id = Complaints.CommunityId),
    UrgencyRank = 7 - Priority,
    DueSort = COALESCE(DueAt, '9999-12-31');
CREATE INDEX IX_Complaints_Urgent ON Complaints (UrgencyRank, DueSort, Id);
CREATE INDEX IX_Complaints_StreetId_Id ON Complaints (StreetId, Id);
CREATE INDEX IX_Complaints_Street_Urgent ON Complaints (StreetId, UrgencyRank, DueSort, Id);
CREATE INDEX IX_Complaints_Community_Urgent ON Complaints (CommunityId, UrgencyRank, DueSort, Id);
CREATE INDEX IX_Complaints_Handler_Id ON Complaints (HandlingLevel, HandlingUnitId, Id);
CREATE INDEX IX_Complaints_Handler_Urgent ON Complaints (HandlingLevel, HandlingUnitId, UrgencyRank, DueSort, Id);
CREATE INDEX IX_Complaints_CategoryId_Id ON Complaints (CategoryId, Id);
CREATE INDEX IX_Complaints_Category_Urgent ON Complaints (CategoryId, UrgencyRank, DueSort, Id);
CREATE INDEX IX_Complaints_Status_Id ON Complaints (Status, Id);
CREATE INDEX IX_Complaints_Status_Urgent ON Complaints (Status, UrgencyRank, DueSort, Id);
-- Flags a filter asks for (overdue, content review, unchecked, a whistle waiting) are rare: newest first seeks them.
CREATE INDEX IX_Complaints_Overdue_Id ON Complaints (IsOverdue, Id);
CREATE INDEX IX_Complaints_ContentReview_Id ON Complaints (ContentReview, Id);
CREATE INDEX IX_Complaints_ContentUnchecked_Id ON Complaints (ContentUnchecked, Id);
CREATE INDEX IX_Complaints_WhistlePending_Id ON Complaints (WhistlePending, Id);
