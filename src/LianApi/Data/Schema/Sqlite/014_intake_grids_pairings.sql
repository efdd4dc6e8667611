-- Every channel in, the right people out: the channel a report came in by and who recorded it on a resident's
-- behalf, the grid it belongs to and the grid worker it is assigned to, a whistle (吹哨) waiting for its department
-- to report (报到), evaluations taken by phone (回访), and the departments paired with each community (结对共建).
ALTER TABLE Complaints ADD COLUMN Channel TEXT NOT NULL DEFAULT 'miniprogram';
ALTER TABLE Complaints ADD COLUMN GridId INTEGER NULL REFERENCES Grids (Id);
ALTER TABLE Complaints ADD COLUMN RecordedByStaffId INTEGER NULL REFERENCES Staff (Id);
ALTER TABLE Complaints ADD COLUMN AssignedStaffId INTEGER NULL REFERENCES Staff (Id);
ALTER TABLE Complaints ADD COLUMN ResidentNameProtected TEXT NULL;
ALTER TABLE Complaints ADD COLUMN CallbackWanted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN WhistlePending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IX_Complaints_GridId ON Complaints (GridId) WHERE GridId IS NOT NULL;
CREATE INDEX IX_Complaints_RecordedByStaffId ON Complaints (RecordedByStaffId, Id) WHERE RecordedByStaffId IS NOT NULL;
CREATE INDEX IX_Complaints_AssignedStaffId ON Complaints (AssignedStaffId) WHERE AssignedStaffId IS NOT NULL;

ALTER TABLE ComplaintEvaluations ADD COLUMN ByPhone INTEGER NOT NULL DEFAULT 0;

CREATE TABLE DepartmentPairings (
    DepartmentId INTEGER NOT NULL REFERENCES Departments (Id),
    CommunityId INTEGER NOT NULL REFERENCES Communities (Id),
    PRIMARY KEY (DepartmentId, CommunityId)
);
CREATE INDEX IX_DepartmentPairings_CommunityId ON DepartmentPairings (CommunityId);
