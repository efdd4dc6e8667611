-- Staff and their units, the case-handling columns of a complaint, the working-day calendar, evaluations,
-- and the audit of phone reveals.
CREATE TABLE Staff (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Name nvarchar(50) NOT NULL,
    Role nvarchar(20) NOT NULL,
    UnitLevel nvarchar(20) NOT NULL,
    UnitId bigint NULL,
    UnitName nvarchar(100) NOT NULL,
    GridId bigint NULL CONSTRAINT FK_Staff_Grids REFERENCES Grids (Id),
    UserId bigint NULL CONSTRAINT FK_Staff_Users REFERENCES Users (Id),
    BindingCodeHash nvarchar(64) NULL,
    BindingCodeExpiresAt datetime2(7) NULL,
    IsActive bit NOT NULL,
    CreatedAt datetime2(7) NOT NULL
);
CREATE UNIQUE INDEX UX_Staff_UserId ON Staff (UserId) WHERE UserId IS NOT NULL;
CREATE UNIQUE INDEX UX_Staff_BindingCodeHash ON Staff (BindingCodeHash) WHERE BindingCodeHash IS NOT NULL;

ALTER TABLE Complaints ADD
    HandlingUnitId bigint NULL,
    DepartmentId bigint NULL CONSTRAINT FK_Complaints_Departments REFERENCES Departments (Id),
    ReceivedAt datetime2(7) NULL,
    AcceptedAt datetime2(7) NULL,
    ResolutionDueAt datetime2(7) NULL,
    DueAt datetime2(7) NULL,
    Priority int NOT NULL CONSTRAINT DF_Complaints_Priority DEFAULT 0,
    IsOverdue bit NOT NULL CONSTRAINT DF_Complaints_IsOverdue DEFAULT 0,
    IsSupervised bit NOT NULL CONSTRAINT DF_Complaints_IsSupervised DEFAULT 0,
    UrgeCount int NOT NULL CONSTRAINT DF_Complaints_UrgeCount DEFAULT 0,
    LastUrgedAt datetime2(7) NULL,
    ExtensionRequestedUntil datetime2(7) NULL,
    ReopenCount int NOT NULL CONSTRAINT DF_Complaints_ReopenCount DEFAULT 0,
    LastHandlingLevel nvarchar(20) NULL,
    LastHandlingUnitId bigint NULL,
    ResolvedAt datetime2(7) NULL,
    ClosedAt datetime2(7) NULL,
    CloseReason nvarchar(20) NULL;
GO
CREATE INDEX IX_Complaints_Status_DueAt ON Complaints (Status, DueAt);
CREATE INDEX IX_Complaints_DepartmentId ON Complaints (DepartmentId, Id);

ALTER TABLE ComplaintEvents ADD StaffId bigint NULL CONSTRAINT FK_ComplaintEvents_Staff REFERENCES Staff (Id);

CREATE TABLE ComplaintEvaluations (
    ComplaintId bigint NOT NULL CONSTRAINT FK_ComplaintEvaluations_Complaints REFERENCES Complaints (Id),
    Round int NOT NULL,
    Resolved bit NOT NULL,
    Satisfaction nvarchar(20) NOT NULL,
    Comment nvarchar(500) NULL,
    EvaluatedAt datetime2(7) NOT NULL,
    CONSTRAINT PK_ComplaintEvaluations PRIMARY KEY (ComplaintId, Round)
);

CREATE TABLE CalendarDays (
    Day date NOT NULL PRIMARY KEY,
    IsWorkday bit NOT NULL,
    Name nvarchar(50) NULL
);

CREATE TABLE PhoneReveals (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    ComplaintId bigint NOT NULL CONSTRAINT FK_PhoneReveals_Complaints REFERENCES Complaints (Id),
    StaffId bigint NOT NULL CONSTRAINT FK_PhoneReveals_Staff REFERENCES Staff (Id),
    RevealedAt datetime2(7) NOT NULL
);
