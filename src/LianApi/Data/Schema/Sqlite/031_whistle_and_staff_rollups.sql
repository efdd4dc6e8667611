-- Whistle figures (吹哨件数, 报到率, 按时报到率) per department and the groupings by staff (who recorded a report on a
-- resident's behalf, who resolved it) from the rollups. Each case keeps the facts they need: the department of its last
-- whistle and whether that department reported (报到), on time or late, and the staff member of its last resolution.
-- Departments and staff are retired, never deleted: the two ids carry no foreign key, as no other statistics key does.
ALTER TABLE Complaints ADD COLUMN WhistledDepartmentId INTEGER NULL;
ALTER TABLE Complaints ADD COLUMN WhistleReported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN WhistleReportedOnTime INTEGER NOT NULL DEFAULT 0;
ALTER TABLE Complaints ADD COLUMN LastResolvedByStaffId INTEGER NULL;

-- The cases whistled before this migration: the department is named by the last whistle's note (吹哨至<department>);
-- a department renamed since is not found, and its whistle is not counted.
UPDATE Complaints SET WhistledDepartmentId = (
    SELECT MIN(d.Id) FROM Departments d
    WHERE d.Name = (SELECT substr(w.Note, 4) FROM ComplaintEvents w
        WHERE w.Id = (SELECT MAX(x.Id) FROM ComplaintEvents x WHERE x.ComplaintId = Complaints.Id AND x.Kind = 'whistled')))
WHERE Id IN (SELECT ComplaintId FROM ComplaintEvents WHERE Kind = 'whistled');

UPDATE Complaints SET
    WhistleReported = CASE WHEN EXISTS (SELECT 1 FROM ComplaintEvents r
        WHERE r.ComplaintId = Complaints.Id AND r.Kind IN ('reported', 'reported_late')
          AND r.Id > (SELECT MAX(x.Id) FROM ComplaintEvents x WHERE x.ComplaintId = Complaints.Id AND x.Kind = 'whistled')) THEN 1 ELSE 0 END,
    WhistleReportedOnTime = CASE WHEN EXISTS (SELECT 1 FROM ComplaintEvents r
        WHERE r.ComplaintId = Complaints.Id AND r.Kind = 'reported'
          AND r.Id > (SELECT MAX(x.Id) FROM ComplaintEvents x WHERE x.ComplaintId = Complaints.Id AND x.Kind = 'whistled')) THEN 1 ELSE 0 END
WHERE WhistledDepartmentId IS NOT NULL;

UPDATE Complaints SET LastResolvedByStaffId = (
    SELECT e.StaffId FROM ComplaintEvents e
    WHERE e.Id = (SELECT MAX(x.Id) FROM ComplaintEvents x WHERE x.ComplaintId = Complaints.Id AND x.Kind = 'resolved'))
WHERE ResolutionCount > 0;

ALTER TABLE StatsRollups ADD COLUMN Whistled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD COLUMN WhistleReported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE StatsRollups ADD COLUMN WhistleReportedOnTime INTEGER NOT NULL DEFAULT 0;

-- Every row gains counters and three dimensions are new: the rollups are recounted from the cases at the first start
-- after this migration (StatsBackfill rebuilds them when cases have none).
DELETE FROM StatsRollups;
