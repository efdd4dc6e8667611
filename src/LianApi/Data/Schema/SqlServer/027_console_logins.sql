-- The staff console (issue 26). Everything a browser's login and session need lives here, not in an instance's memory,
-- so any instance behind a load balancer serves any request (no sticky sessions):
-- a scan-to-log-in ticket (one-time, two minutes, bound to the browser that showed it: only hashes are kept),
-- a browser session (hash of its cookie; 30 minutes idle, 10 hours at most), and the Data Protection key ring
-- (antiforgery tokens are protected with it, so every instance must read the same keys).
CREATE TABLE ConsoleLoginTickets (
    Id bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_ConsoleLoginTickets PRIMARY KEY,
    TicketHash nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    BrowserHash nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    UserAgent nvarchar(300) NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    ExpiresAt datetime2(7) NOT NULL,
    ApprovedAt datetime2(7) NULL,
    ApprovedStaffId bigint NULL CONSTRAINT FK_ConsoleLoginTickets_Staff REFERENCES Staff (Id),
    ApprovedUserId bigint NULL CONSTRAINT FK_ConsoleLoginTickets_Users REFERENCES Users (Id),
    RedeemedAt datetime2(7) NULL
);
CREATE UNIQUE INDEX UX_ConsoleLoginTickets_TicketHash ON ConsoleLoginTickets (TicketHash);
CREATE INDEX IX_ConsoleLoginTickets_ExpiresAt ON ConsoleLoginTickets (ExpiresAt);

CREATE TABLE ConsoleSessions (
    Id bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_ConsoleSessions PRIMARY KEY,
    TokenHash nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    StaffId bigint NOT NULL CONSTRAINT FK_ConsoleSessions_Staff REFERENCES Staff (Id),
    UserId bigint NOT NULL CONSTRAINT FK_ConsoleSessions_Users REFERENCES Users (Id),
    UserAgent nvarchar(300) NOT NULL,
    CreatedAt datetime2(7) NOT NULL,
    LastSeenAt datetime2(7) NOT NULL,
    ExpiresAt datetime2(7) NOT NULL
);
CREATE UNIQUE INDEX UX_ConsoleSessions_TokenHash ON ConsoleSessions (TokenHash);
CREATE INDEX IX_ConsoleSessions_ExpiresAt ON ConsoleSessions (ExpiresAt);

CREATE TABLE DataProtectionKeys (
    Id bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_DataProtectionKeys PRIMARY KEY,
    FriendlyName nvarchar(200) NOT NULL,
    Xml nvarchar(max) NOT NULL,
    CreatedAt datetime2(7) NOT NULL
);
