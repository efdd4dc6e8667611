-- Administration at district scale: a community, grid or department that is retired (撤并) keeps its row and its
-- cases, so history and statistics go on counting them, but takes no new report; a retired community names its
-- successor (or, without one, its street office) as where to report instead. OrgChanges records who changed the
-- organisation through an ops verb (move, retire, unpair), since these change where cases go.
ALTER TABLE Communities ADD COLUMN RetiredAt TEXT NULL;
ALTER TABLE Communities ADD COLUMN SuccessorId INTEGER NULL REFERENCES Communities (Id);
ALTER TABLE Grids ADD COLUMN RetiredAt TEXT NULL;
ALTER TABLE Departments ADD COLUMN RetiredAt TEXT NULL;

CREATE TABLE OrgChanges (
    Id INTEGER PRIMARY KEY,
    ChangedAt TEXT NOT NULL,
    ChangedBy TEXT NOT NULL,
    Change TEXT NOT NULL,
    Detail TEXT NOT NULL
);
