-- Every channel in, the right people out: the channel a report came in by and who recorded it on a resident's
-- behalf, the grid it belongs to and the grid worker it is assigned to, a whistle (吹哨) waiting for its department
-- to report (报到), evaluations taken by phone (回访), and the departments paired with each community (结对共建).
ALTER TABLE Complaints ADD
    Channel nvarchar(20) NOT NULL CONSTRAINT DF_Complaints_Channel DEFAULT N'miniprogram',
    GridId bigint NULL CONSTRAINT FK_Complaints_Grids REFERENCES Grids (Id),
    RecordedByStaffId bigint NULL CONSTRAINT FK_Complaints_RecordedBy REFERENCES Staff (Id),
    AssignedStaffId bigint NULL CONSTRAINT FK_Complaints_AssignedTo REFERENCES Staff (Id),
    ResidentNameProtected nvarchar(400) NULL,
    CallbackWanted bit NOT NULL CONSTRAINT DF_Complaints_CallbackWanted DEFAULT 0,
    WhistlePending bit NOT NULL CONSTRAINT DF_Complaints_WhistlePending DEFAULT 0;
GO
CREATE INDEX IX_Complaints_GridId ON Complaints (GridId) WHERE GridId IS NOT NULL;
CREATE INDEX IX_Complaints_RecordedByStaffId ON Complaints (RecordedByStaffId, Id) WHERE RecordedByStaffId IS NOT NULL;
CREATE INDEX IX_Complaints_AssignedStaffId ON Complaints (AssignedStaffId) WHERE AssignedStaffId IS NOT NULL;

ALTER TABLE ComplaintEvaluations ADD ByPhone bit NOT NULL CONSTRAINT DF_ComplaintEvaluations_ByPhone DEFAULT 0;

CREATE TABLE DepartmentPairings (
    DepartmentId bigint NOT NULL CONSTRAINT FK_DepartmentPairings_Departments REFERENCES Departments (Id),
    CommunityId bigint NOT NULL CONSTRAINT FK_DepartmentPairings_Communities REFERENCES Communities (Id),
    CONSTRAINT PK_DepartmentPairings PRIMARY KEY (DepartmentId, CommunityId)
);
CREATE INDEX IX_DepartmentPairings_CommunityId ON DepartmentPairings (CommunityId);
