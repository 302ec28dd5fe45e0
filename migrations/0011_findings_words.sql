-- The report's own words a finding is about (model.Finding.words: the spam term, the sentence
-- whose number disagrees), as a JSON list, so the browser can open a finding at them and
-- highlight them. NULL for findings stored before; `goi validate --recheck` finds them again.
ALTER TABLE findings ADD COLUMN words TEXT;
