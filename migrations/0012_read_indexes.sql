-- Screens and commands that show a page cost a page. A report row holds the report's whole
-- text, so a query that reads report rows to count, group or sort them reads most of the
-- archive's bytes (gigabytes at 100,000 reports). These indexes answer the counts, facets,
-- years and the order of a page of current reports from the index alone (the page's own rows
-- are then read by id). is_current is a column, not a partial-index condition: SQLite uses
-- an index as a covering one only when every column a query names is in it.
CREATE INDEX reports_current_facets
    ON reports(is_current, year, template, status, agency_id, errors, warnings, infos);
-- each agency's reports with what a page filters on, for lists in agency-name order
CREATE INDEX reports_agency_current ON reports(agency_id, is_current, year, template, status);
-- lists in agency-name order walk agencies by name instead of sorting every report
CREATE INDEX agencies_name ON agencies(name);
-- each report's findings with what the findings screen counts and filters on, so that its
-- counts and the order of its pages come from the index alone
CREATE INDEX findings_report_facets ON findings(report_id, severity, rule, fingerprint);
