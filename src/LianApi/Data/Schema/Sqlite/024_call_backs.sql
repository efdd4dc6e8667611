-- 回访 by the dispatch center: one row per call, about the unit that resolved the case (the 回访率 and the results by
-- unit in the staff statistics read them, so the satisfaction rate no longer rests on units grading themselves).
-- Rated = 1 when the answer became the case's rating (the resident had not rated it), 0 for a check of a rated case.
CREATE TABLE CallBacks (
    Id INTEGER PRIMARY KEY,
    ComplaintId INTEGER NOT NULL REFERENCES Complaints (Id),
    StaffId INTEGER NULL REFERENCES Staff (Id),
    UnitLevel TEXT NOT NULL,
    UnitId INTEGER NULL,
    Resolved INTEGER NOT NULL,
    Satisfaction TEXT NOT NULL,
    Comment TEXT NULL,
    Rated INTEGER NOT NULL,
    CalledAt TEXT NOT NULL
);
CREATE INDEX IX_CallBacks_ComplaintId ON CallBacks (ComplaintId);

-- The call-back queue: closed cases by why they closed (few are not_evaluated), newest first.
CREATE INDEX IX_Complaints_CloseReason ON Complaints (CloseReason, Id) WHERE CloseReason IS NOT NULL;
