-- The shape version of the stored resident view: views of an older shape are rendered again when read.
ALTER TABLE Complaints ADD ResidentViewVersion int NOT NULL CONSTRAINT DF_Complaints_ResidentViewVersion DEFAULT 1;
