-- Text limits are counted in characters (code points), as the spec's JSON Schema counts them, while nvarchar(n) holds
-- n UTF-16 units: an emoji takes two. The columns of residents' and staff's text double, so a text at its limit fits
-- however many emoji it has.
ALTER TABLE Complaints ALTER COLUMN Description nvarchar(2000) NOT NULL;
ALTER TABLE Complaints ALTER COLUMN Address nvarchar(400) NULL;
ALTER TABLE ComplaintEvents ALTER COLUMN Note nvarchar(2000) NULL;
ALTER TABLE ComplaintEvaluations ALTER COLUMN Comment nvarchar(1000) NULL;
ALTER TABLE CallBacks ALTER COLUMN Comment nvarchar(1000) NULL;
