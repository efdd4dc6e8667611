-- Which unit of work wrote a complaint last: a retry after an ambiguous commit recognizes its own write.
ALTER TABLE Complaints ADD LastWriteId nvarchar(32) COLLATE Latin1_General_100_BIN2 NULL;
