-- Which unit of work wrote a complaint last: a retry after an ambiguous commit recognizes its own write.
ALTER TABLE Complaints ADD COLUMN LastWriteId TEXT NULL;
