-- Organisation, residents, complaints and their timeline, idempotency keys.
CREATE TABLE Streets (
    Id INTEGER PRIMARY KEY,
    Code TEXT NOT NULL UNIQUE,
    Name TEXT NOT NULL
);

CREATE TABLE Communities (
    Id INTEGER PRIMARY KEY,
    Code TEXT NOT NULL UNIQUE,
    StreetId INTEGER NOT NULL REFERENCES Streets (Id),
    Name TEXT NOT NULL,
    Address TEXT NULL,
    Latitude REAL NULL,
    Longitude REAL NULL
);
CREATE INDEX IX_Communities_StreetId ON Communities (StreetId);

CREATE TABLE Grids (
    Id INTEGER PRIMARY KEY,
    Code TEXT NOT NULL UNIQUE,
    CommunityId INTEGER NOT NULL REFERENCES Communities (Id),
    Name TEXT NOT NULL
);
CREATE INDEX IX_Grids_CommunityId ON Grids (CommunityId);

CREATE TABLE Departments (
    Id INTEGER PRIMARY KEY,
    Code TEXT NOT NULL UNIQUE,
    Name TEXT NOT NULL
);

CREATE TABLE Categories (
    Id INTEGER PRIMARY KEY,
    Code TEXT NOT NULL UNIQUE,
    Name TEXT NOT NULL,
    IsEmergency INTEGER NOT NULL,
    Hotline TEXT NULL,
    ResponseHours INTEGER NOT NULL,
    ResolutionWorkingDays INTEGER NOT NULL,
    SortOrder INTEGER NOT NULL
);

CREATE TABLE Users (
    Id INTEGER PRIMARY KEY,
    AppId TEXT NOT NULL,
    OpenId TEXT NOT NULL,
    CreatedAt TEXT NOT NULL,
    LastLoginAt TEXT NOT NULL,
    UNIQUE (AppId, OpenId)
);

CREATE TABLE Complaints (
    Id INTEGER PRIMARY KEY,
    TrackingNo TEXT NOT NULL UNIQUE,
    UserId INTEGER NOT NULL REFERENCES Users (Id),
    ClientRequestId TEXT NOT NULL,
    CommunityId INTEGER NOT NULL REFERENCES Communities (Id),
    CategoryId INTEGER NOT NULL REFERENCES Categories (Id),
    Description TEXT NOT NULL,
    Address TEXT NULL,
    Latitude REAL NULL,
    Longitude REAL NULL,
    ContactPhoneProtected TEXT NULL,
    ContactPhoneMasked TEXT NULL,
    Anonymous INTEGER NOT NULL,
    Status TEXT NOT NULL,
    HandlingLevel TEXT NOT NULL,
    SubmittedAt TEXT NOT NULL,
    ResponseDueAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL,
    Version INTEGER NOT NULL,
    -- What the resident sees, as JSON, rewritten by every transition: their reads are one indexed lookup.
    ResidentView TEXT NULL,
    -- Permanent second line of idempotency: survives the pruning of IdempotencyKeys.
    UNIQUE (UserId, ClientRequestId)
);
CREATE INDEX IX_Complaints_UserId_Id ON Complaints (UserId, Id);
CREATE INDEX IX_Complaints_CommunityId_Id ON Complaints (CommunityId, Id);

CREATE TABLE ComplaintEvents (
    Id INTEGER PRIMARY KEY,
    ComplaintId INTEGER NOT NULL REFERENCES Complaints (Id),
    Kind TEXT NOT NULL,
    Status TEXT NOT NULL,
    ActorUserId INTEGER NULL REFERENCES Users (Id),
    UnitName TEXT NULL,
    Note TEXT NULL,
    IsPublic INTEGER NOT NULL,
    OccurredAt TEXT NOT NULL
);
CREATE INDEX IX_ComplaintEvents_ComplaintId ON ComplaintEvents (ComplaintId, Id);

CREATE TABLE IdempotencyKeys (
    UserId INTEGER NOT NULL REFERENCES Users (Id),
    Endpoint TEXT NOT NULL,
    IdempotencyKey TEXT NOT NULL,
    RequestHash TEXT NOT NULL,
    StatusCode INTEGER NOT NULL,
    Location TEXT NULL,
    ResponseBody TEXT NOT NULL,
    CreatedAt TEXT NOT NULL,
    PRIMARY KEY (UserId, Endpoint, IdempotencyKey)
) WITHOUT ROWID;

CREATE TABLE Counters (
    Name TEXT NOT NULL PRIMARY KEY,
    LastValue INTEGER NOT NULL
) WITHOUT ROWID;
