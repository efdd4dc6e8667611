-- Staff and their units, the case-handling columns of a complaint, the working-day calendar, evaluations,
-- and the audit of phone reveals.
CREATE TABLE Staff (
    Id INTEGER PRIMARY KEY,
    Name TEXT NOT NULL,
    Role TEXT NOT NULL,
    UnitLevel TEXT NOT NULL,
    UnitId INTEGER NULL,
    UnitName TEXT NOT NULL,
    GridId INTEGER NULL REFERENCES Grids (Id),
    UserId INTEGER NULL REFERENCES Users (Id),
    BindingCodeHash TEXT NULL,
    BindingCodeExpiresAt TEXT NULL,
    IsActive INTEGER NOT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_Staff_UserId ON Staff (UserId) WHERE UserId IS NOT NULL;
CREATE UNIQUE INDEX UX_Staff_BindingCodeHash ON Staff (BindingCodeHash) WHERE BindingCodeHash IS NOT NULL;

ALTER TABLE Complaints ADD COLUMN HandlingUnitId INTEGER NULL;
ALTER TABLE Complaints ADD COLUMN DepartmentId INTEGER NULL REFERENCES Departments (Id);
ALTER TABLE Complaints ADD COLUMN ReceivedAt TEXT NULL;
ALTER TABLE Complaints ADD COLUMN AcceptedAt TEXT NULL;
ALTER TABLE Complaints ADD COLUMN ResolutionDueAt TEXT NULL;
ALTER TABLE Complaints ADD COLUMN DueAt TEXT NULL;
ALTER TABLE Complaints ADD COLUMN Priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN IsOverdue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN IsSupervised INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN UrgeCount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN LastUrgedAt TEXT NULL;
ALTER TABLE Complaints ADD COLUMN ExtensionRequestedUntil TEXT NULL;
ALTER TABLE Complaints ADD COLUMN ReopenCount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN LastHandlingLevel TEXT NULL;
ALTER TABLE Complaints ADD COLUMN LastHandlingUnitId INTEGER NULL;
ALTER TABLE Complaints ADD COLUMN ResolvedAt TEXT NULL;
ALTER TABLE Complaints ADD COLUMN ClosedAt TEXT NULL;
ALTER TABLE Complaints ADD COLUMN CloseReason TEXT NULL;
CREATE INDEX IX_Complaints_Status_DueAt ON Complaints (Status, DueAt);
CREATE INDEX IX_Complaints_DepartmentId ON Complaints (DepartmentId, Id);

ALTER TABLE ComplaintEvents ADD COLUMN StaffId INTEGER NULL REFERENCES Staff (Id);

CREATE TABLE ComplaintEvaluations (
    ComplaintId INTEGER NOT NULL REFERENCES Complaints (Id),
    Round INTEGER NOT NULL,
    Resolved INTEGER NOT NULL,
    Satisfaction TEXT NOT NULL,
    Comment TEXT NULL,
    EvaluatedAt TEXT NOT NULL,
    PRIMARY KEY (ComplaintId, Round)
);

CREATE TABLE CalendarDays (
    Day TEXT NOT NULL PRIMARY KEY,
    IsWorkday INTEGER NOT NULL,
    Name TEXT NULL
);

CREATE TABLE PhoneReveals (
    Id INTEGER PRIMARY KEY,
    ComplaintId INTEGER NOT NULL REFERENCES Complaints (Id),
    StaffId INTEGER NOT NULL REFERENCES Staff (Id),
    RevealedAt TEXT NOT NULL
);
