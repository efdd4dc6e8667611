-- WeChat mini-program codes are permanent: generated once per community, page and version, then served from here.
CREATE TABLE WxaCodes (
    CommunityId INTEGER NOT NULL REFERENCES Communities (Id),
    Page TEXT NOT NULL,
    EnvVersion TEXT NOT NULL,
    Png BLOB NOT NULL,
    IsEmulated INTEGER NOT NULL,
    CreatedAt TEXT NOT NULL,
    PRIMARY KEY (CommunityId, Page, EnvVersion)
);
