-- 回访 by the dispatch center: one row per call, about the unit that resolved the case (the 回访率 and the results by
-- unit in the staff statistics read them, so the satisfaction rate no longer rests on units grading themselves).
-- Rated = 1 when the answer became the case's rating (the resident had not rated it), 0 for a check of a rated case.
CREATE TABLE CallBacks (
    Id bigint IDENTITY(1,1) NOT NULL CONSTRAINT PK_CallBacks PRIMARY KEY,
    ComplaintId bigint NOT NULL CONSTRAINT FK_CallBacks_Complaints REFERENCES Complaints (Id),
    StaffId bigint NULL CONSTRAINT FK_CallBacks_Staff REFERENCES Staff (Id),
    UnitLevel nvarchar(20) NOT NULL,
    UnitId bigint NULL,
    Resolved bit NOT NULL,
    Satisfaction nvarchar(20) NOT NULL,
    Comment nvarchar(500) NULL,
    Rated bit NOT NULL,
    CalledAt datetime2(7) NOT NULL
);
CREATE INDEX IX_CallBacks_ComplaintId ON CallBacks (ComplaintId);

-- The call-back queue: closed cases by why they closed (few are not_evaluated), newest first.
CREATE INDEX IX_Complaints_CloseReason ON Complaints (CloseReason, Id) WHERE CloseReason IS NOT NULL;
