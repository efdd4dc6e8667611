-- Finding any case (GET /api/staff/complaints?q=…&phone=…).
-- The words of a case: its description and address as submitted, then the text of every resolution and reply, one
-- row per case (rowid = the case's Id, so newest first is the table's own order, read backwards). Contentless: the
-- text is already in Complaints and ComplaintEvents; contentless_delete lets a reply replace the row. The trigram
-- tokenizer matches any substring of three characters or more, which is what Chinese text without spaces needs.
CREATE VIRTUAL TABLE ComplaintText USING fts5(Body, content = '', contentless_delete = 1, tokenize = 'trigram');
INSERT INTO ComplaintText (rowid, Body)
SELECT c.Id, c.Description || char(10) || COALESCE(c.Address, '')
    || COALESCE((SELECT char(10) || group_concat(e.Note, char(10)) FROM ComplaintEvents e
                 WHERE e.ComplaintId = c.Id AND e.Kind IN ('resolved', 'replied') AND e.Note IS NOT NULL), '')
FROM Complaints c;
-- A keyed blind index of the contact phone (HMAC-SHA256 of the normalized number, PhoneProtector.BlindIndex): equal
-- numbers are found by an index seek, and the column reveals nothing without the key. The rows stored before have
-- their number only encrypted, and the key is not in the database: `phones index` fills them (README, "Find any case").
ALTER TABLE Complaints ADD COLUMN ContactPhoneIndex TEXT NULL;
CREATE INDEX IX_Complaints_PhoneIndex ON Complaints (ContactPhoneIndex, Id) WHERE ContactPhoneIndex IS NOT NULL;
-- channel= other than the mini-program (a few cases among many): only those are indexed, newest first.
CREATE INDEX IX_Complaints_Channel_Id ON Complaints (Channel, Id) WHERE Channel <> 'miniprogram';
