-- A third of the disk (44 KB a report before): what repeats is stored once, and the views
-- `figures` and `sections` show the archive with the columns and text it always had.
--
-- Figure keys, printed row labels and kinds are stored once each, in their own tables; a
-- figure row keeps their numbers. A cell's raw text is NULL where it is the value as SQLite
-- prints it (CAST(value AS TEXT), an integer only), its source NULL where it is
-- 'line ' || line, its score NULL where the label matched exactly (100), and what OCR
-- marked (confidence, box) is kept for the cells OCR read only: the view puts all back.
CREATE TABLE figure_keys (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE            -- spec/keys.md: table.row.column
);
CREATE TABLE figure_labels (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE          -- a row label as some report prints it
);
CREATE TABLE figure_kinds (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL UNIQUE           -- number | blank | placeholder | unreadable | unplaced
);
-- 0 and 1 take no byte in a row: the two kinds most cells have
INSERT INTO figure_kinds (id, kind) VALUES (0, 'number'), (1, 'blank'), (2, 'placeholder'),
    (3, 'unreadable'), (4, 'unplaced');
INSERT OR IGNORE INTO figure_kinds (kind) SELECT DISTINCT kind FROM figures ORDER BY kind;
INSERT INTO figure_keys (key) SELECT DISTINCT key FROM figures ORDER BY key;
INSERT INTO figure_labels (label) SELECT DISTINCT label FROM figures WHERE label IS NOT NULL
    ORDER BY label;

CREATE TABLE figure_cells (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL REFERENCES figure_keys(id),
    value NUMERIC,                      -- NULL unless kind = 'number'
    kind_id INTEGER NOT NULL REFERENCES figure_kinds(id),
    raw TEXT,                           -- the cell as printed; NULL: CAST(value AS TEXT)
    unit TEXT,
    line INTEGER,
    source TEXT,                        -- where in the file; NULL: 'line ' || line
    label_id INTEGER REFERENCES figure_labels(id),
    score REAL,                         -- rapidfuzz match of the label, 0–100; NULL: 100
    PRIMARY KEY (report_id, key_id)
) WITHOUT ROWID;

CREATE TABLE figure_marks (
    report_id INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    confidence REAL,                    -- the recognizer's, 0–1
    box TEXT,                           -- x0,y0,x1,y1 of the cell's text on the page image
    PRIMARY KEY (report_id, key_id),
    FOREIGN KEY (report_id, key_id) REFERENCES figure_cells(report_id, key_id)
        ON DELETE CASCADE
) WITHOUT ROWID;

INSERT INTO figure_cells (report_id, key_id, value, kind_id, raw, unit, line, source,
                          label_id, score)
SELECT f.report_id, k.id, f.value, d.id,
       CASE WHEN typeof(f.value) = 'integer' AND f.raw = CAST(f.value AS TEXT) THEN NULL
            ELSE f.raw END,
       f.unit, f.line,
       CASE WHEN f.line IS NOT NULL AND f.source = 'line ' || f.line THEN NULL
            WHEN f.line IS NOT NULL THEN coalesce(f.source, '')
            ELSE f.source END,
       l.id, CASE WHEN f.score = 100 THEN NULL ELSE f.score END
FROM figures f
JOIN figure_keys k ON k.key = f.key
JOIN figure_kinds d ON d.kind = f.kind
LEFT JOIN figure_labels l ON l.label = f.label
ORDER BY f.report_id, k.id;

INSERT INTO figure_marks (report_id, key_id, confidence, box)
SELECT f.report_id, k.id, f.confidence, f.box
FROM figures f JOIN figure_keys k ON k.key = f.key
WHERE f.confidence IS NOT NULL OR f.box IS NOT NULL
ORDER BY f.report_id, k.id;

DROP TABLE figures;

-- The figures as they always read: one row per cell, keys, kinds and labels as text.
CREATE VIEW figures AS
SELECT c.report_id, k.key, c.value, d.kind, coalesce(c.raw, CAST(c.value AS TEXT)) AS raw,
       c.unit, c.line, coalesce(c.source, 'line ' || c.line) AS source, l.label,
       coalesce(c.score, 100.0) AS score, m.confidence, m.box
FROM figure_cells c
JOIN figure_keys k ON k.id = c.key_id
JOIN figure_kinds d ON d.id = c.kind_id
LEFT JOIN figure_labels l ON l.id = c.label_id
LEFT JOIN figure_marks m ON m.report_id = c.report_id AND m.key_id = c.key_id;

-- A section's body is a stretch of the report's text: kept as the offsets (in characters,
-- from 0) of that stretch; the body itself only where it is not one (a page-wrapped line
-- joined to the one before it).
CREATE TABLE report_sections (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    num INTEGER NOT NULL,
    title TEXT NOT NULL,
    body_start INTEGER,                 -- body = substr(text, body_start + 1, body_end - body_start)
    body_end INTEGER,
    body TEXT,                          -- the body, where it is not a stretch of the text
    line_start INTEGER,
    line_end INTEGER,
    PRIMARY KEY (report_id, num)
) WITHOUT ROWID;

INSERT INTO report_sections (report_id, num, title, body_start, body_end, body, line_start,
                             line_end)
SELECT s.report_id, s.num, s.title,
       CASE WHEN found > 0 THEN found - 1 END,
       CASE WHEN found > 0 THEN found - 1 + length(s.body) END,
       CASE WHEN found > 0 THEN NULL ELSE s.body END,
       s.line_start, s.line_end
FROM (SELECT s.*, CASE WHEN s.body = '' THEN 1 ELSE instr(r.text, s.body) END AS found
      FROM sections s JOIN reports r ON r.id = s.report_id) s
ORDER BY s.report_id, s.num;

DROP TABLE sections;

CREATE VIEW sections AS
SELECT s.report_id, s.num, s.title,
       coalesce(s.body, substr(r.text, s.body_start + 1, s.body_end - s.body_start)) AS body,
       s.line_start, s.line_end
FROM report_sections s JOIN reports r ON r.id = s.report_id;

-- The trigram index keeps which reports hold a trigram, not where (detail=none): a quarter
-- of its size. A term is looked up as its trigrams, and each report found is read to check
-- that the term itself occurs and how often (goitui.archive.search), so that the reports
-- found and their bm25 order are those of the index with positions it replaces.
--
-- Terms of one or two characters have an index of their own: which reports hold each pair of
-- characters (and, through the pairs it starts, each character), of the text lower-cased as
-- SQLite's lower() does. goi writes each report's pairs (goi_grams(), goitui.archive.grams)
-- as the document of a contentless index.
--
-- A report deleted (or its text rewritten) after it was indexed leaves the trigram index at
-- once and is noted in search_stale with the text it was indexed with: the next refresh
-- takes it out of report_grams and indexes whatever report has its id by then, and until
-- then a search reads it instead of asking the indexes (an id is used again when the
-- newest report is removed).
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_update;
DROP TABLE report_fts;
CREATE VIRTUAL TABLE report_fts USING fts5(
    text,
    content = 'reports',
    content_rowid = 'id',
    tokenize = 'trigram',
    detail = 'none'
);
INSERT INTO report_fts (report_fts, rank) VALUES ('hashsize', 33554432);
INSERT INTO report_fts (report_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE report_grams USING fts5(
    grams,
    content = '',
    tokenize = 'ascii',
    detail = 'none',
    columnsize = 0
);
INSERT INTO report_grams (report_grams, rank) VALUES ('hashsize', 33554432);
INSERT INTO report_grams (rowid, grams) SELECT id, goi_grams(text) FROM reports ORDER BY id;
UPDATE search_state SET indexed_upto = (SELECT coalesce(max(id), 0) FROM reports);

CREATE TABLE search_stale (
    report_id INTEGER PRIMARY KEY,      -- not a foreign key: the report may be gone
    text TEXT NOT NULL                  -- the text the indexes have for it
);

CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports
WHEN old.id <= (SELECT indexed_upto FROM search_state)
 AND old.id NOT IN (SELECT report_id FROM search_stale) BEGIN
    INSERT INTO report_fts (report_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO search_stale (report_id, text) VALUES (old.id, old.text);
END;

CREATE TRIGGER reports_fts_update AFTER UPDATE OF text ON reports
WHEN old.id <= (SELECT indexed_upto FROM search_state)
 AND old.id NOT IN (SELECT report_id FROM search_stale) BEGIN
    INSERT INTO report_fts (report_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO search_stale (report_id, text) VALUES (old.id, old.text);
END;
