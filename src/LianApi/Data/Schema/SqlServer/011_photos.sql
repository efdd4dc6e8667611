-- Photos of reports (the resident's) and of their handling (办结照片, staff's): re-encoded JPEG and a thumbnail, never
-- the uploaded bytes. Id is 128 random bits (hex), so a photo cannot be guessed from another's. A photo is attached
-- to at most one case, once; one still unattached after 24 h is deleted by the photo sweep. Moderation is the
-- content-safety state (pending, pass, review, risky): a risky photo is shown to the dispatch center only.
CREATE TABLE Photos (
    Id nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT PK_Photos PRIMARY KEY,
    OwnerUserId bigint NOT NULL CONSTRAINT FK_Photos_Users REFERENCES Users (Id),
    ComplaintId bigint NULL CONSTRAINT FK_Photos_Complaints REFERENCES Complaints (Id),
    Purpose nvarchar(20) NULL,
    Width int NOT NULL,
    Height int NOT NULL,
    ContentHash nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    ByteCount int NOT NULL,
    Bytes varbinary(max) NOT NULL,
    ThumbnailHash nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    ThumbnailByteCount int NOT NULL,
    Thumbnail varbinary(max) NOT NULL,
    Moderation nvarchar(10) NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    AttachedAt datetime2(7) NULL
);
CREATE INDEX IX_Photos_OwnerUserId_CreatedAt ON Photos (OwnerUserId, CreatedAt);
CREATE INDEX IX_Photos_ComplaintId ON Photos (ComplaintId) WHERE ComplaintId IS NOT NULL;
CREATE INDEX IX_Photos_Unattached ON Photos (CreatedAt) WHERE ComplaintId IS NULL;
-- The bytes are read by one lookup and never scanned: kept off-row, so the sweep and the quota reads stay narrow.
EXEC sp_tableoption N'Photos', 'large value types out of row', 1;

-- Which photos a timeline step carries (the report's, a resolution's, a reply's): their ids, comma-separated.
ALTER TABLE ComplaintEvents ADD PhotoIds nvarchar(400) COLLATE Latin1_General_100_BIN2 NULL;

-- Categories whose cases are resolved only with a photo of the result (reference data; ops adjust it).
ALTER TABLE Categories ADD RequiresResolutionPhoto bit NOT NULL CONSTRAINT DF_Categories_RequiresResolutionPhoto DEFAULT 0;
GO
UPDATE Categories SET RequiresResolutionPhoto = 1 WHERE Code IN (N'roof-leak', N'old-estate');

INSERT INTO Leases (Name, Owner, Until) VALUES (N'photo-sweep', N'', '2000-01-01 00:00:00');
