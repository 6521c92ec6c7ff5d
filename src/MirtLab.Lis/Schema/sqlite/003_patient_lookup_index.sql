-- MirtLab LIS interface tables, SQLite dialect, version 3: the delta check's lookup of a patient's previous
-- result (latest by instrument time). A script of its own to match the server dialects, where building an index
-- must not share a transaction with the ALTER TABLE of version 2.

CREATE INDEX ix_mirtlab_results_patient ON mirtlab_results (patient_id, analyte_code, instrument_time_utc);
