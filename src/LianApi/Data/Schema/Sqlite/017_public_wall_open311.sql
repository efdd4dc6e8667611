-- Open for others (issue 16): the public wall of resolved cases (办结公示) and Open311 GeoReport v2.
-- PublicConsent is the resident's choice at submission (default no); Unpublished is set by the unpublish staff action
-- (dispatch center or the handling unit, with an internal reason). A case is public only with consent and not unpublished.
ALTER TABLE Complaints ADD COLUMN PublicConsent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN Unpublished INTEGER NOT NULL DEFAULT 0;
-- The Open311 partner a report was filed by (channel open311), kept for the dispatch center.
ALTER TABLE Complaints ADD COLUMN Partner TEXT NULL;
-- The wall and Open311 read newest first among consented cases: a seek, not a scan of every case.
CREATE INDEX IX_Complaints_PublicWall ON Complaints (PublicConsent, Unpublished, Id);

-- Open311 partner keys (api_key of POST requests): only the SHA-256 of the key is stored, issued and revoked by the CLI.
CREATE TABLE Open311Keys (
    Id INTEGER PRIMARY KEY,
    Partner TEXT NOT NULL,
    KeyHash TEXT NOT NULL,
    CreatedAt TEXT NOT NULL,
    RevokedAt TEXT NULL
);
CREATE UNIQUE INDEX UX_Open311Keys_KeyHash ON Open311Keys (KeyHash);
