-- Organisation, residents, complaints and their timeline, idempotency keys.
CREATE TABLE Streets (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Code nvarchar(32) NOT NULL CONSTRAINT UQ_Streets_Code UNIQUE,
    Name nvarchar(100) NOT NULL
);

CREATE TABLE Communities (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Code nvarchar(32) NOT NULL CONSTRAINT UQ_Communities_Code UNIQUE,
    StreetId bigint NOT NULL CONSTRAINT FK_Communities_Streets REFERENCES Streets (Id),
    Name nvarchar(100) NOT NULL,
    Address nvarchar(200) NULL,
    Latitude float NULL,
    Longitude float NULL
);
CREATE INDEX IX_Communities_StreetId ON Communities (StreetId);

CREATE TABLE Grids (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Code nvarchar(32) NOT NULL CONSTRAINT UQ_Grids_Code UNIQUE,
    CommunityId bigint NOT NULL CONSTRAINT FK_Grids_Communities REFERENCES Communities (Id),
    Name nvarchar(100) NOT NULL
);
CREATE INDEX IX_Grids_CommunityId ON Grids (CommunityId);

CREATE TABLE Departments (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Code nvarchar(32) NOT NULL CONSTRAINT UQ_Departments_Code UNIQUE,
    Name nvarchar(100) NOT NULL
);

CREATE TABLE Categories (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Code nvarchar(32) NOT NULL CONSTRAINT UQ_Categories_Code UNIQUE,
    Name nvarchar(50) NOT NULL,
    IsEmergency bit NOT NULL,
    Hotline nvarchar(200) NULL,
    ResponseHours int NOT NULL,
    ResolutionWorkingDays int NOT NULL,
    SortOrder int NOT NULL
);

CREATE TABLE Users (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    AppId nvarchar(64) NOT NULL,
    OpenId nvarchar(128) NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    LastLoginAt datetime2(7) NOT NULL,
    CONSTRAINT UQ_Users_AppId_OpenId UNIQUE (AppId, OpenId)
);

CREATE TABLE Complaints (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    TrackingNo nvarchar(32) NOT NULL CONSTRAINT UQ_Complaints_TrackingNo UNIQUE,
    UserId bigint NOT NULL CONSTRAINT FK_Complaints_Users REFERENCES Users (Id),
    ClientRequestId nvarchar(64) NOT NULL,
    CommunityId bigint NOT NULL CONSTRAINT FK_Complaints_Communities REFERENCES Communities (Id),
    CategoryId bigint NOT NULL CONSTRAINT FK_Complaints_Categories REFERENCES Categories (Id),
    Description nvarchar(1000) NOT NULL,
    Address nvarchar(200) NULL,
    Latitude float NULL,
    Longitude float NULL,
    ContactPhoneProtected nvarchar(200) NULL,
    ContactPhoneMasked nvarchar(32) NULL,
    Anonymous bit NOT NULL,
    Status nvarchar(20) NOT NULL,
    HandlingLevel nvarchar(20) NOT NULL,
    SubmittedAt datetime2(7) NOT NULL,
    ResponseDueAt datetime2(7) NOT NULL,
    UpdatedAt datetime2(7) NOT NULL,
    Version int NOT NULL,
    -- What the resident sees, as JSON, rewritten by every transition: their reads are one indexed lookup.
    ResidentView nvarchar(max) NULL,
    -- Permanent second line of idempotency: survives the pruning of IdempotencyKeys.
    CONSTRAINT UQ_Complaints_UserId_ClientRequestId UNIQUE (UserId, ClientRequestId)
);
CREATE INDEX IX_Complaints_UserId_Id ON Complaints (UserId, Id);
CREATE INDEX IX_Complaints_CommunityId_Id ON Complaints (CommunityId, Id);

CREATE TABLE ComplaintEvents (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    ComplaintId bigint NOT NULL CONSTRAINT FK_ComplaintEvents_Complaints REFERENCES Complaints (Id),
    Kind nvarchar(32) NOT NULL,
    Status nvarchar(20) NOT NULL,
    ActorUserId bigint NULL CONSTRAINT FK_ComplaintEvents_Users REFERENCES Users (Id),
    UnitName nvarchar(100) NULL,
    Note nvarchar(1000) NULL,
    IsPublic bit NOT NULL,
    OccurredAt datetime2(7) NOT NULL
);
CREATE INDEX IX_ComplaintEvents_ComplaintId ON ComplaintEvents (ComplaintId, Id);

CREATE TABLE IdempotencyKeys (
    UserId bigint NOT NULL CONSTRAINT FK_IdempotencyKeys_Users REFERENCES Users (Id),
    Endpoint nvarchar(64) NOT NULL,
    IdempotencyKey nvarchar(64) NOT NULL,
    RequestHash nvarchar(64) NOT NULL,
    StatusCode int NOT NULL,
    Location nvarchar(200) NULL,
    ResponseBody nvarchar(max) NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    CONSTRAINT PK_IdempotencyKeys PRIMARY KEY (UserId, Endpoint, IdempotencyKey)
);

CREATE TABLE Counters (
    Name nvarchar(64) NOT NULL PRIMARY KEY,
    LastValue bigint NOT NULL
);
