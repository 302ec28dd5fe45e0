-- The roster: the agencies an office expects reports from, with the region each belongs to.
-- Names are matched to archive agencies when asked (the same rules as imports), so a roster
-- loaded before any report is imported answers "who has not submitted" as reports arrive.
CREATE TABLE roster (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,          -- as the office lists it
    region TEXT,                        -- the region it belongs to, as listed (often another roster name)
    level TEXT,                         -- 省 / 市 / 县 / 乡镇 … as listed; free text
    added_at TEXT NOT NULL
);
CREATE INDEX roster_region ON roster(region);
