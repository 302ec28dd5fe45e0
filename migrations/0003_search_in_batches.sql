-- Indexing each report as it was archived (0002's insert trigger) cost more than the rest of
-- its import: FTS5 writes a segment per transaction. The index is now brought up to date in
-- one transaction, at the end of every `goi import` and before every search
-- (goitui.search.refresh_index); search_state records how far it goes.
DROP TRIGGER reports_fts_insert;
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_update;

CREATE TABLE search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto INTEGER NOT NULL          -- reports.id up to which report_fts is complete
);
INSERT INTO search_state VALUES (1, (SELECT coalesce(max(id), 0) FROM reports));

-- a report that is deleted or rewritten leaves the index, if it was in it
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports
WHEN old.id <= (SELECT indexed_upto FROM search_state) BEGIN
    INSERT INTO report_fts (report_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER reports_fts_update AFTER UPDATE OF text ON reports
WHEN old.id <= (SELECT indexed_upto FROM search_state) BEGIN
    INSERT INTO report_fts (report_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO report_fts (rowid, text) VALUES (new.id, new.text);
END;
