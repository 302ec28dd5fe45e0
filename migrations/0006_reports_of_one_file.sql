-- One file may hold several reports (a compilation of an area's reports; this year's and last
-- year's on one page): each is archived as its own report, numbered by its place in the file.
-- sha256 stays unique per report: it is the file's own for the file's first (or only) report
-- and, for the others, the sha256 of the file's sha256 followed by '#' and the part's number;
-- file_sha256 is the file's, for every report it holds (re-importing it changes nothing).
ALTER TABLE reports ADD COLUMN file_sha256 TEXT;
ALTER TABLE reports ADD COLUMN part INTEGER NOT NULL DEFAULT 1;   -- the report's place in its file
ALTER TABLE reports ADD COLUMN parts INTEGER NOT NULL DEFAULT 1;  -- how many reports the file holds
-- Every year the report gives and where, JSON ({"statistics period": 2022, "title": 2021}):
-- how the year was decided, for `goi show` and the S-YEAR finding.
ALTER TABLE reports ADD COLUMN year_sources TEXT;
UPDATE reports SET file_sha256 = sha256;
CREATE INDEX reports_file_sha256 ON reports(file_sha256);
