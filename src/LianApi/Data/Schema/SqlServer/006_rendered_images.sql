-- Codes and posters are drawn once per community and image (kind, format, preset), then served from here. RenderKey
-- hashes every input of the image and is its ETag; new inputs (a renamed community, new poster texts) give a new
-- key, and the new drawing replaces the row.
CREATE TABLE RenderedImages (
    CommunityId bigint NOT NULL CONSTRAINT FK_RenderedImages_Communities REFERENCES Communities (Id),
    Variant nvarchar(40) NOT NULL,
    RenderKey nvarchar(64) NOT NULL,
    Bytes varbinary(max) NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    CONSTRAINT PK_RenderedImages PRIMARY KEY (CommunityId, Variant)
);
