-- Version 2: find a patient's previous results without parsing every document. The columns are computed by
-- SQLite from the stored result document, so no write path changes and they can never disagree with it.

ALTER TABLE results ADD COLUMN patient_id TEXT GENERATED ALWAYS AS (json_extract(document_json, '$.patientId')) VIRTUAL;
ALTER TABLE results ADD COLUMN acquired_utc TEXT GENERATED ALWAYS AS (json_extract(document_json, '$.acquired.utc')) VIRTUAL;
ALTER TABLE results ADD COLUMN numeric_value REAL GENERATED ALWAYS AS (json_extract(document_json, '$.value')) VIRTUAL;

CREATE INDEX ix_results_patient ON results (patient_id, analyte, acquired_utc) WHERE patient_id IS NOT NULL;
