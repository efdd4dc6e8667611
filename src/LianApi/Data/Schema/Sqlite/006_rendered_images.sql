-- Codes and posters are drawn once per community and image (kind, format, preset), then served from here. RenderKey
-- hashes every input of the image and is its ETag; new inputs (a renamed community, new poster texts) give a new
-- key, and the new drawing replaces the row.
CREATE TABLE RenderedImages (
    CommunityId INTEGER NOT NULL REFERENCES Communities (Id),
    Variant TEXT NOT NULL,
    RenderKey TEXT NOT NULL,
    Bytes BLOB NOT NULL,
    CreatedAt TEXT NOT NULL,
    PRIMARY KEY (CommunityId, Variant)
);
