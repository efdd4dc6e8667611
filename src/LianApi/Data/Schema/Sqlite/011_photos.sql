-- Photos of reports (the resident's) and of their handling (办结照片, staff's): re-encoded JPEG and a thumbnail, never
-- the uploaded bytes. Id is 128 random bits (hex), so a photo cannot be guessed from another's. A photo is attached
-- to at most one case, once; one still unattached after 24 h is deleted by the photo sweep. Moderation is the
-- content-safety state (pending, pass, review, risky): a risky photo is shown to the dispatch center only.
CREATE TABLE Photos (
    Id TEXT NOT NULL PRIMARY KEY,
    OwnerUserId INTEGER NOT NULL REFERENCES Users (Id),
    ComplaintId INTEGER NULL REFERENCES Complaints (Id),
    Purpose TEXT NULL,
    Width INTEGER NOT NULL,
    Height INTEGER NOT NULL,
    ContentHash TEXT NOT NULL,
    ByteCount INTEGER NOT NULL,
    Bytes BLOB NOT NULL,
    ThumbnailHash TEXT NOT NULL,
    ThumbnailByteCount INTEGER NOT NULL,
    Thumbnail BLOB NOT NULL,
    Moderation TEXT NOT NULL,
    CreatedAt TEXT NOT NULL,
    AttachedAt TEXT NULL
);
CREATE INDEX IX_Photos_OwnerUserId_CreatedAt ON Photos (OwnerUserId, CreatedAt);
CREATE INDEX IX_Photos_ComplaintId ON Photos (ComplaintId) WHERE ComplaintId IS NOT NULL;
CREATE INDEX IX_Photos_Unattached ON Photos (CreatedAt) WHERE ComplaintId IS NULL;

-- Which photos a timeline step carries (the report's, a resolution's, a reply's): their ids, comma-separated.
ALTER TABLE ComplaintEvents ADD COLUMN PhotoIds TEXT NULL;

-- Categories whose cases are resolved only with a photo of the result (reference data; ops adjust it).
ALTER TABLE Categories ADD COLUMN RequiresResolutionPhoto INTEGER NOT NULL DEFAULT 0;
UPDATE Categories SET RequiresResolutionPhoto = 1 WHERE Code IN ('roof-leak', 'old-estate');

INSERT INTO Leases (Name, Owner, Until) VALUES ('photo-sweep', '', '2000-01-01 00:00:00');
