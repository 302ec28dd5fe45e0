-- A finding's message in Chinese beside the English one (goitui/i18n.py, Phrase): both are
-- worded when the finding is made, so the archive can answer in either language. NULL for
-- findings stored before, or worded in English only; `goi validate --recheck` words them again.
ALTER TABLE findings ADD COLUMN message_zh TEXT;
