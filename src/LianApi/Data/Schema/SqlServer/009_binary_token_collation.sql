-- Tokens compare exactly, as they do on SQLite: openids, idempotency keys, client request ids and hashes get a binary
-- collation (a default SQL Server collation is case-insensitive, so 'abc' and 'ABC' would be the same key).
ALTER TABLE Users DROP CONSTRAINT UQ_Users_AppId_OpenId;
ALTER TABLE Users ALTER COLUMN OpenId nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE Users ADD CONSTRAINT UQ_Users_AppId_OpenId UNIQUE (AppId, OpenId);

ALTER TABLE Complaints DROP CONSTRAINT UQ_Complaints_UserId_ClientRequestId;
ALTER TABLE Complaints ALTER COLUMN ClientRequestId nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE Complaints ADD CONSTRAINT UQ_Complaints_UserId_ClientRequestId UNIQUE (UserId, ClientRequestId);

ALTER TABLE IdempotencyKeys DROP CONSTRAINT PK_IdempotencyKeys;
ALTER TABLE IdempotencyKeys ALTER COLUMN IdempotencyKey nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE IdempotencyKeys ALTER COLUMN RequestHash nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE IdempotencyKeys ADD CONSTRAINT PK_IdempotencyKeys PRIMARY KEY (UserId, Endpoint, IdempotencyKey);

DROP INDEX UX_Staff_BindingCodeHash ON Staff;
ALTER TABLE Staff ALTER COLUMN BindingCodeHash nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL;
CREATE UNIQUE INDEX UX_Staff_BindingCodeHash ON Staff (BindingCodeHash) WHERE BindingCodeHash IS NOT NULL;

-- The resident view is read by one lookup and never scanned: kept off-row, so scans of the case table stay narrow.
EXEC sp_tableoption N'Complaints', 'large value types out of row', 1;
