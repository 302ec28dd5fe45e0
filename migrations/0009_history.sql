-- Every operation that changes keys, versions or reviews (merge, split, rename, re-filing a
-- report, removing one, making a version current, a review, an undo): what, when, and the rows
-- before and after as JSON, so that `goi history` shows what happened to the archive and the
-- last operation can be undone (a merge also by `goi agencies split`).
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operation TEXT NOT NULL,            -- merge | split | rename | refile | remove | make-current | review | undo
    summary TEXT NOT NULL,              -- one line for a person
    before TEXT,                        -- JSON: the rows as they were
    after TEXT,                         -- JSON: the rows as they became
    undone_by INTEGER REFERENCES history(id)
);
