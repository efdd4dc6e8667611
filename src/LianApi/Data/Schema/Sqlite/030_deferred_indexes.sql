-- A bulk load (demo-data filling a million cases) writes faster into tables without their secondary indexes and builds
-- each once at the end. Their definitions wait here, recorded in the transaction that drops them, so a load killed
-- half-way loses no index: the next start (or any verb) builds what is listed and removes its row in one transaction.
CREATE TABLE DeferredIndexes (
    Name TEXT NOT NULL PRIMARY KEY,
    Definition TEXT NOT NULL,
    DeferredAt TEXT NOT NULL
);
