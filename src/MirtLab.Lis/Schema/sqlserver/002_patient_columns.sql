-- MirtLab LIS interface tables, SQL Server dialect, version 2: result schema v2 fields.
-- Additive only: nullable columns without a default are a metadata change (no row is touched), so rows written
-- before stay valid and a LIS that selects named columns sees no change. dose_mg_per_day is exact like value.
--
-- ALTER TABLE needs a schema-modification lock. Waiting for it behind a LIS's long read would also queue every
-- later reader behind this statement, so give up after a few seconds instead: error 1222 is transient and the
-- migration is tried again with the next delivery. The lock is held until this script commits, which is why the
-- index is built by a script of its own (003).
SET LOCK_TIMEOUT 5000;

ALTER TABLE mirtlab_results ADD
    patient_id      nvarchar(200) NULL,
    dose_mg_per_day decimal(19,6) NULL,
    comments        nvarchar(max) NULL,
    derived_from    nvarchar(max) NULL;

SET LOCK_TIMEOUT -1;
