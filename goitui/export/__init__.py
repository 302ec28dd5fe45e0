"""Export: the library's records flattened into sheets, written as CSV, TSV, XLSX or Parquet.

``records`` turns each command's result (the same objects ``--format json`` prints) into
``Sheet``s of plain cells; ``writers`` writes them with the standard libraries (csv, openpyxl,
pyarrow). A blank figure stays an empty cell, never 0.
"""
