-- MirtLab LIS interface tables, PostgreSQL dialect, version 3: the delta check's lookup of a patient's previous
-- result (latest by instrument time).
--
-- CREATE INDEX takes a SHARE lock: the LIS keeps reading while it is built, only writes (MirtLab's, retried)
-- wait. CONCURRENTLY would not block writes either, but cannot run inside the transaction that also records
-- the version, and a failed concurrent build leaves an invalid index behind.
SET LOCAL lock_timeout = '5s';

CREATE INDEX ix_mirtlab_results_patient ON mirtlab_results (patient_id, analyte_code, instrument_time_utc);
