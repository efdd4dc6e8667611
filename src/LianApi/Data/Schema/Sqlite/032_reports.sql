-- The daily and weekly reports (日报/周报), kept for download: one row per kind and period, the PDF and the workbook
-- as they were generated. Regenerating a period replaces its row. PeriodStart and PeriodEnd are Beijing days as
-- yyyymmdd (the statistics' day keys); a weekly report starts on its ISO week's Monday.
CREATE TABLE Reports (
    Kind TEXT NOT NULL,
    PeriodStart INTEGER NOT NULL,
    PeriodEnd INTEGER NOT NULL,
    Title TEXT NOT NULL,
    GeneratedAt TEXT NOT NULL,
    Pdf BLOB NOT NULL,
    Xlsx BLOB NOT NULL,
    PRIMARY KEY (Kind, PeriodStart)
);

-- The job that writes them runs on one instance at a time.
INSERT INTO Leases (Name, Owner, Until) VALUES ('reports', '', '2000-01-01 00:00:00');
