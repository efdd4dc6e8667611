-- Message-push replays (issue 23): the (timestamp, nonce) pair of every accepted push, so a signed query string is
-- accepted once, by whichever instance sees it first, while its timestamp is inside the replay window. ExpiresAt is
-- when the pair may be forgotten (its timestamp is stale by then); pushes prune what has expired as they arrive.
CREATE TABLE WechatPushNonces (
    SignedTimestamp INTEGER NOT NULL,
    Nonce TEXT NOT NULL,
    ExpiresAt TEXT NOT NULL,
    PRIMARY KEY (SignedTimestamp, Nonce)
) WITHOUT ROWID;
CREATE INDEX IX_WechatPushNonces_ExpiresAt ON WechatPushNonces (ExpiresAt);

-- The readiness probe's scratch row (issue 23): while storage is failing, readiness rewrites it with more bytes than
-- the largest report writes and reports ready only once that commits; a one-row write still fits on a disk that no
-- longer holds a report.
CREATE TABLE StorageProbes (
    Name TEXT NOT NULL PRIMARY KEY,
    Filler BLOB NOT NULL,
    WrittenAt TEXT NOT NULL
);
