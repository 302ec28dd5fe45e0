-- A figure read by OCR from a scanned page keeps how sure the recognizer was and where the
-- digits are on the page image, so that a doubtful digit can be shown and checked on the scan.
ALTER TABLE figures ADD COLUMN confidence REAL;  -- 0–1; NULL when not read by OCR
ALTER TABLE figures ADD COLUMN box TEXT;         -- x0,y0,x1,y1 in pixels of the page image
