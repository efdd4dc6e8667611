-- A bulk load (demo-data filling a million cases) writes faster into tables without their secondary indexes and builds
-- each once at the end. Their definitions wait here, recorded in the transaction that drops them, so a load killed
-- half-way loses no index: the next start (or any verb) builds what is listed and removes its row in one transaction.
-- Only the SQLite path defers today; the table exists on both so the schemas stay the same.
CREATE TABLE DeferredIndexes (
    Name nvarchar(128) NOT NULL CONSTRAINT PK_DeferredIndexes PRIMARY KEY,
    Definition nvarchar(max) NOT NULL,
    DeferredAt datetime2(7) NOT NULL
);
