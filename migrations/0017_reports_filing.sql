-- What a report says of its own agency and year beyond the columns above (JSON: the agency it
-- prints and where, how often its body names each year): kept so that the findings on its
-- filing (S-AGENCY, S-YEAR) are worked out again when a person re-files it (goitui/repair.py).
-- NULL for reports stored before: a re-filing then goes by what the other columns hold.
ALTER TABLE reports ADD COLUMN filing TEXT;
