-- The archive: agencies with their names, reports (every version kept), and what was read from each.
CREATE TABLE agencies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                 -- the name shown; any alias finds the agency
    note TEXT,                          -- e.g. near candidates when a name matched none unambiguously
    created_at TEXT NOT NULL
);

CREATE TABLE agency_names (
    name TEXT PRIMARY KEY,              -- as printed in a report, or given by a person
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    core TEXT NOT NULL                  -- normalized: no 人民政府/政府/办事处 suffix
);
CREATE INDEX agency_names_agency ON agency_names(agency_id);
CREATE INDEX agency_names_core ON agency_names(core);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,           -- 1, 2, … for successive files of one agency and year
    is_current INTEGER NOT NULL DEFAULT 1,
    agency_name TEXT NOT NULL,          -- the agency as this report prints it
    agency_from TEXT NOT NULL,          -- title | body | file name | option
    year_from TEXT NOT NULL,
    title TEXT,
    template TEXT NOT NULL,             -- 2019 | 2021 | hybrid | unknown
    source_path TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,        -- re-importing the same bytes changes nothing
    format TEXT NOT NULL,
    size INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pass',  -- pass | warn | fail
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    infos INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    UNIQUE (agency_id, year, version)
);
CREATE UNIQUE INDEX reports_one_current ON reports(agency_id, year) WHERE is_current = 1;
CREATE INDEX reports_year ON reports(year);

CREATE TABLE sections (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    num INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    line_start INTEGER,
    line_end INTEGER,
    PRIMARY KEY (report_id, num)
);

CREATE TABLE figures (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    key TEXT NOT NULL,                  -- spec/keys.md: table.row.column
    value NUMERIC,                      -- NULL unless kind = 'number'
    kind TEXT NOT NULL,                 -- number | blank | placeholder | unreadable | unplaced
    raw TEXT NOT NULL,                  -- the cell exactly as printed
    unit TEXT,
    line INTEGER,
    source TEXT,                        -- where in the file: line N, page P table T row R …
    label TEXT,                         -- the row label as printed
    score REAL,                         -- rapidfuzz match of that label, 0–100
    PRIMARY KEY (report_id, key)
);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    origin TEXT NOT NULL,               -- parse | validate
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,             -- error | warning | info
    message TEXT NOT NULL,
    keys TEXT NOT NULL DEFAULT '[]',    -- JSON list of figure keys
    section INTEGER,
    expected TEXT,                      -- JSON
    actual TEXT,                        -- JSON
    source TEXT,
    line INTEGER,
    fingerprint TEXT NOT NULL
);
CREATE INDEX findings_report ON findings(report_id);
CREATE INDEX findings_rule ON findings(rule);

-- A person's review of a finding, kept by the finding's fingerprint so that it survives
-- re-importing and re-validating the report.
CREATE TABLE reviews (
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    year INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('acknowledged', 'dismissed')),
    note TEXT,
    reviewed_at TEXT NOT NULL,
    PRIMARY KEY (agency_id, year, fingerprint)
);
