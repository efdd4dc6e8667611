-- SQLite text has no declared length: counting text limits in characters (SQL Server's columns widen) needs nothing here.
SELECT 1;
