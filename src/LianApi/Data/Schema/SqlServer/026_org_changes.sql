-- Administration at district scale: a community, grid or department that is retired (撤并) keeps its row and its
-- cases, so history and statistics go on counting them, but takes no new report; a retired community names its
-- successor (or, without one, its street office) as where to report instead. OrgChanges records who changed the
-- organisation through an ops verb (move, retire, unpair), since these change where cases go.
ALTER TABLE Communities ADD
    RetiredAt datetime2(7) NULL,
    SuccessorId bigint NULL CONSTRAINT FK_Communities_Successor REFERENCES Communities (Id);
ALTER TABLE Grids ADD RetiredAt datetime2(7) NULL;
ALTER TABLE Departments ADD RetiredAt datetime2(7) NULL;

CREATE TABLE OrgChanges (
    Id bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_OrgChanges PRIMARY KEY,
    ChangedAt datetime2(7) NOT NULL,
    ChangedBy nvarchar(100) NOT NULL,
    Change nvarchar(20) NOT NULL,
    Detail nvarchar(400) NOT NULL
);
