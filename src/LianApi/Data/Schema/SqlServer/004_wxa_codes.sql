-- WeChat mini-program codes are permanent: generated once per community, page and version, then served from here.
CREATE TABLE WxaCodes (
    CommunityId bigint NOT NULL CONSTRAINT FK_WxaCodes_Communities REFERENCES Communities (Id),
    Page nvarchar(100) NOT NULL,
    EnvVersion nvarchar(10) NOT NULL,
    Png varbinary(max) NOT NULL,
    IsEmulated bit NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    CONSTRAINT PK_WxaCodes PRIMARY KEY (CommunityId, Page, EnvVersion)
);
