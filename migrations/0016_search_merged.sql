-- A batch indexed at once (the first import of an archive, or 0013's rebuild) leaves FTS5 with
-- its largest segments on the lowest level, in the middle of merging them. The segments of the
-- next small batches join that level until it holds 16 (FTS5's crisismerge), and then every
-- one of them is merged at once: seconds in one import of a few reports (2.8 s for the trigram
-- index of 90,000 reports), and the result stays on a low level where every few batches merge
-- it again. Merged into one segment, the index takes small batches at the cost of larger ones
-- (goitui.archive.search.refresh_index merges a large batch so from now on).
INSERT INTO report_fts (report_fts) VALUES ('optimize');
INSERT INTO report_grams (report_grams) VALUES ('optimize');
