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

-- Refused photo uploads (issue 23), by user and client address: each one held the decoder, so they count against the
-- user's hourly upload limit with the stored photos, and against a limit per address, on every instance alike. Rows
-- older than the hour they count in are deleted by the photo sweep (a table of at most an hour's refusals).
CREATE TABLE PhotoRefusals (
    Id INTEGER PRIMARY KEY,
    UserId INTEGER NOT NULL REFERENCES Users (Id),
    ClientAddress TEXT NOT NULL,
    RefusedAt TEXT NOT NULL
);
CREATE INDEX IX_PhotoRefusals_UserId ON PhotoRefusals (UserId, RefusedAt);
CREATE INDEX IX_PhotoRefusals_ClientAddress ON PhotoRefusals (ClientAddress, RefusedAt);
