-- Wrong staff binding codes, by user and client address: binding locks for either after too many in a short window,
-- on every instance alike.
CREATE TABLE StaffBindFailures (
    Id bigint IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    UserId bigint NOT NULL CONSTRAINT FK_StaffBindFailures_Users REFERENCES Users (Id),
    ClientAddress nvarchar(64) NOT NULL,
    FailedAt datetime2(7) NOT NULL
);
CREATE INDEX IX_StaffBindFailures_UserId ON StaffBindFailures (UserId, FailedAt);
CREATE INDEX IX_StaffBindFailures_ClientAddress ON StaffBindFailures (ClientAddress, FailedAt);
