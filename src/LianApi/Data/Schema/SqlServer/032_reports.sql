-- The daily and weekly reports (日报/周报), kept for download: one row per kind and period, the PDF and the workbook
-- as they were generated. Regenerating a period replaces its row. PeriodStart and PeriodEnd are Beijing days as
-- yyyymmdd (the statistics' day keys); a weekly report starts on its ISO week's Monday.
CREATE TABLE Reports (
    Kind nvarchar(20) NOT NULL,
    PeriodStart int NOT NULL,
    PeriodEnd int NOT NULL,
    Title nvarchar(200) NOT NULL,
    GeneratedAt datetime2(7) NOT NULL,
    Pdf varbinary(max) NOT NULL,
    Xlsx varbinary(max) NOT NULL,
    CONSTRAINT PK_Reports PRIMARY KEY (Kind, PeriodStart)
);

-- The job that writes them runs on one instance at a time.
INSERT INTO Leases (Name, Owner, Until) VALUES (N'reports', N'', '2000-01-01 00:00:00');
