-- SQLite compares text exactly (BINARY) unless told otherwise, and keeps large values as they come: this release's
-- SQL Server changes (binary collation for tokens, the resident view off-row) need nothing here.
SELECT 1;
