-- The staff console (issue 26). Everything a browser's login and session need lives here, not in an instance's memory,
-- so any instance behind a load balancer serves any request (no sticky sessions):
-- a scan-to-log-in ticket (one-time, two minutes, bound to the browser that showed it: only hashes are kept),
-- a browser session (hash of its cookie; 30 minutes idle, 10 hours at most), and the Data Protection key ring
-- (antiforgery tokens are protected with it, so every instance must read the same keys).
CREATE TABLE ConsoleLoginTickets (
    Id INTEGER PRIMARY KEY,
    TicketHash TEXT NOT NULL,
    BrowserHash TEXT NOT NULL,
    UserAgent TEXT NOT NULL,
    CreatedAt TEXT NOT NULL,
    ExpiresAt TEXT NOT NULL,
    ApprovedAt TEXT NULL,
    ApprovedStaffId INTEGER NULL REFERENCES Staff (Id),
    ApprovedUserId INTEGER NULL REFERENCES Users (Id),
    RedeemedAt TEXT NULL
);
CREATE UNIQUE INDEX UX_ConsoleLoginTickets_TicketHash ON ConsoleLoginTickets (TicketHash);
CREATE INDEX IX_ConsoleLoginTickets_ExpiresAt ON ConsoleLoginTickets (ExpiresAt);

CREATE TABLE ConsoleSessions (
    Id INTEGER PRIMARY KEY,
    TokenHash TEXT NOT NULL,
    StaffId INTEGER NOT NULL REFERENCES Staff (Id),
    UserId INTEGER NOT NULL REFERENCES Users (Id),
    UserAgent TEXT NOT NULL,
    CreatedAt TEXT NOT NULL,
    LastSeenAt TEXT NOT NULL,
    ExpiresAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_ConsoleSessions_TokenHash ON ConsoleSessions (TokenHash);
CREATE INDEX IX_ConsoleSessions_ExpiresAt ON ConsoleSessions (ExpiresAt);

CREATE TABLE DataProtectionKeys (
    Id INTEGER PRIMARY KEY,
    FriendlyName TEXT NOT NULL,
    Xml TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
);
