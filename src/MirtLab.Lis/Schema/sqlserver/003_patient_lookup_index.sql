-- MirtLab LIS interface tables, SQL Server dialect, version 3: the delta check's lookup of a patient's previous
-- result (latest by instrument time). Key size: 400 + 200 + 8 bytes, under the 1700-byte limit.
--
-- An offline index build takes a shared table lock: the LIS keeps reading while it is built, only writes
-- (MirtLab's, retried) wait. ONLINE = ON is not used: it needs Enterprise edition.
SET LOCK_TIMEOUT 5000;

CREATE INDEX ix_mirtlab_results_patient ON mirtlab_results (patient_id, analyte_code, instrument_time_utc);

SET LOCK_TIMEOUT -1;
