-- Version 4: the QC history Westgard needs, without parsing documents. Each run's outcome per analyte is kept in
-- a small table (written with the run and by every QA decision), and QC results are indexed by level.

ALTER TABLE results ADD COLUMN nominal REAL GENERATED ALWAYS AS (json_extract(document_json, '$.nominal')) VIRTUAL;
CREATE INDEX ix_results_qc ON results (analyte, nominal, acquired_utc) WHERE sample_type = 'qc';

CREATE TABLE run_analytes (
    run_key  TEXT NOT NULL REFERENCES runs (run_key),
    analyte  TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    PRIMARY KEY (run_key, analyte)
);

INSERT INTO run_analytes (run_key, analyte, outcome)
SELECT u.run_key, json_extract(a.value, '$.analyte'), json_extract(a.value, '$.outcome')
FROM runs u, json_each(u.document_json, '$.analytes') a;
