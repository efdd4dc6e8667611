-- Message-push replays (issue 23): the (timestamp, nonce) pair of every accepted push, so a signed query string is
-- accepted once, by whichever instance sees it first, while its timestamp is inside the replay window. ExpiresAt is
-- when the pair may be forgotten (its timestamp is stale by then); pushes prune what has expired as they arrive.
CREATE TABLE WechatPushNonces (
    SignedTimestamp bigint NOT NULL,
    Nonce nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    ExpiresAt datetime2(7) NOT NULL,
    CONSTRAINT PK_WechatPushNonces PRIMARY KEY (SignedTimestamp, Nonce)
);
CREATE INDEX IX_WechatPushNonces_ExpiresAt ON WechatPushNonces (ExpiresAt);

-- The readiness probe's scratch row (issue 23): while storage is failing, readiness rewrites it with more bytes than
-- the largest report writes and reports ready only once that commits; a one-row write still fits on a disk that no
-- longer holds a report.
CREATE TABLE StorageProbes (
    Name nvarchar(50) NOT NULL PRIMARY KEY,
    Filler varbinary(max) NOT NULL,
    WrittenAt datetime2(7) NOT NULL
);
