-- Wrong staff binding codes, by user and client address: binding locks for either after too many in a short window,
-- on every instance alike.
CREATE TABLE StaffBindFailures (
    Id INTEGER PRIMARY KEY,
    UserId INTEGER NOT NULL REFERENCES Users (Id),
    ClientAddress TEXT NOT NULL,
    FailedAt TEXT NOT NULL
);
CREATE INDEX IX_StaffBindFailures_UserId ON StaffBindFailures (UserId, FailedAt);
CREATE INDEX IX_StaffBindFailures_ClientAddress ON StaffBindFailures (ClientAddress, FailedAt);
