-- The shape version of the stored resident view: views of an older shape are rendered again when read.
ALTER TABLE Complaints ADD COLUMN ResidentViewVersion INTEGER NOT NULL DEFAULT 1;
