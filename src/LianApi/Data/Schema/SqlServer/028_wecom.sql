-- WeCom (企业微信 / 政务微信) application messages for staff. A staff member's WeCom user id is set by the
-- organisation's WeCom admin and imported with the staff list; one id is one person.
ALTER TABLE Staff ADD WecomUserId nvarchar(64) NULL;
GO
CREATE UNIQUE INDEX UX_Staff_WecomUserId ON Staff (WecomUserId) WHERE WecomUserId IS NOT NULL;

-- WeCom messages share the outbox (and its leases) with subscribe messages, but one goes to a unit's mapped staff in
-- one call (touser a|b|c), so it has no single user: UserId becomes nullable (its index and foreign key depend on it,
-- so they are dropped and made again). Channel is null for subscribe messages; DedupKey makes a sweep-written message
-- (a deadline warning, a morning to-do) exist once however many instances or runs write it.
DROP INDEX IX_Notifications_UserId ON Notifications;
ALTER TABLE Notifications DROP CONSTRAINT FK_Notifications_Users;
ALTER TABLE Notifications ALTER COLUMN UserId bigint NULL;
ALTER TABLE Notifications ADD CONSTRAINT FK_Notifications_Users FOREIGN KEY (UserId) REFERENCES Users (Id);
CREATE INDEX IX_Notifications_UserId ON Notifications (UserId);
ALTER TABLE Notifications ADD Channel nvarchar(16) NULL, UnitLevel nvarchar(20) NULL, UnitId bigint NULL, DedupKey nvarchar(200) NULL;
GO
CREATE UNIQUE INDEX UX_Notifications_DedupKey ON Notifications (DedupKey) WHERE DedupKey IS NOT NULL;
