-- MirtLab LIS interface tables, PostgreSQL dialect, version 2: result schema v2 fields.
-- Additive only: nullable columns without a default are a catalog change (no table rewrite), so rows written
-- before stay valid and a LIS that selects named columns sees no change.
--
-- ALTER TABLE needs an ACCESS EXCLUSIVE lock. Waiting for it behind a LIS's long read would also queue every
-- later reader behind this statement, so give up after a few seconds instead: the error (55P03) is transient and
-- the migration is tried again with the next delivery. The lock is held only until this script commits, which is
-- why the index is built by a script of its own (003).
SET LOCAL lock_timeout = '5s';

ALTER TABLE mirtlab_results
    ADD COLUMN patient_id      text    NULL,
    ADD COLUMN dose_mg_per_day numeric NULL,
    ADD COLUMN comments        text    NULL,
    ADD COLUMN derived_from    text    NULL;
