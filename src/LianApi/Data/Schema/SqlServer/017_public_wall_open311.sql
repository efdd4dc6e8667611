-- Open for others (issue 16): the public wall of resolved cases (办结公示) and Open311 GeoReport v2.
-- PublicConsent is the resident's choice at submission (default no); Unpublished is set by the unpublish staff action
-- (dispatch center or the handling unit, with an internal reason). A case is public only with consent and not unpublished.
ALTER TABLE Complaints ADD
    PublicConsent bit NOT NULL CONSTRAINT DF_Complaints_PublicConsent DEFAULT 0,
    Unpublished bit NOT NULL CONSTRAINT DF_Complaints_Unpublished DEFAULT 0,
    -- The Open311 partner a report was filed by (channel open311), kept for the dispatch center.
    Partner nvarchar(100) NULL;
GO
-- The wall and Open311 read newest first among consented cases: a seek, not a scan of every case.
CREATE INDEX IX_Complaints_PublicWall ON Complaints (PublicConsent, Unpublished, Id);

-- Open311 partner keys (api_key of POST requests): only the SHA-256 of the key is stored, issued and revoked by the CLI.
CREATE TABLE Open311Keys (
    Id bigint IDENTITY(1,1) NOT NULL CONSTRAINT PK_Open311Keys PRIMARY KEY,
    Partner nvarchar(100) NOT NULL,
    KeyHash nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    RevokedAt datetime2(7) NULL
);
CREATE UNIQUE INDEX UX_Open311Keys_KeyHash ON Open311Keys (KeyHash);
