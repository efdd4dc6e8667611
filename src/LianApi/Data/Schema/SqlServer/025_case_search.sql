-- Finding any case (GET /api/staff/complaints?q=…&phone=…).
-- SQL Server's full-text search breaks Chinese into words with its own word breaker, so a substring that is not a
-- whole word as the breaker saw it (路灯 in 小区路灯坏了, a part of a street name) is not found. Instead every case keeps
-- the distinct two-character pieces (bigrams) of its description, address and resolution and reply texts: a query's
-- bigrams all present select the candidates through the primary key, and a LIKE on the candidates' own text keeps
-- only true substrings. Written by the app (CaseSearch.Bigrams) with the report and with each resolution or reply.
CREATE TABLE ComplaintGrams (
    Gram nchar(2) NOT NULL,
    ComplaintId bigint NOT NULL CONSTRAINT FK_ComplaintGrams_Complaints REFERENCES Complaints (Id),
    CONSTRAINT PK_ComplaintGrams PRIMARY KEY (Gram, ComplaintId DESC)
);
CREATE INDEX IX_ComplaintGrams_ComplaintId ON ComplaintGrams (ComplaintId);
-- A keyed blind index of the contact phone (HMAC-SHA256 of the normalized number, PhoneProtector.BlindIndex): equal
-- numbers are found by an index seek, and the column reveals nothing without the key. The rows stored before have
-- their number only encrypted, and the key is not in the database: `phones index` fills them and the bigrams of the
-- cases stored before (README, "Find any case").
ALTER TABLE Complaints ADD ContactPhoneIndex nvarchar(64) NULL;
GO
CREATE INDEX IX_Complaints_PhoneIndex ON Complaints (ContactPhoneIndex, Id) WHERE ContactPhoneIndex IS NOT NULL;
-- channel= other than the mini-program (a few cases among many): only those are indexed, newest first.
CREATE INDEX IX_Complaints_Channel_Id ON Complaints (Channel, Id) WHERE Channel <> N'miniprogram';
