-- Full-text search over report text. SQLite's default tokenizer sees a run of Chinese
-- characters as one word; the trigram tokenizer (SQLite >= 3.34) finds any substring of three
-- or more characters. An external-content table: the text is stored once, in reports.
CREATE VIRTUAL TABLE report_fts USING fts5(
    text,
    content = 'reports',
    content_rowid = 'id',
    tokenize = 'trigram'
);

-- Kept in sync by triggers, so nothing that writes reports has to know about the index.
CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN
    INSERT INTO report_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
    INSERT INTO report_fts (report_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER reports_fts_update AFTER UPDATE OF text ON reports BEGIN
    INSERT INTO report_fts (report_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO report_fts (rowid, text) VALUES (new.id, new.text);
END;

-- Index the reports archived before this migration.
INSERT INTO report_fts (report_fts) VALUES ('rebuild');
