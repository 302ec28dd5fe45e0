-- A history entry's one line in either language: the summary's English template and its
-- values as JSON (i18n.phrase_data), rendered in the reader's language when `goi history`
-- shows it. `summary` keeps the English text. NULL for entries recorded before, whose summary
-- is shown as it was written (in the language of the goi that recorded it).
ALTER TABLE history ADD COLUMN summary_phrase TEXT;
