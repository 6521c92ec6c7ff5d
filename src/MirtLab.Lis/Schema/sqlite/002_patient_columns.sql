-- MirtLab LIS interface tables, SQLite dialect, version 2: result schema v2 fields.
-- Additive only: four nullable columns, so rows written before stay valid and a LIS that selects named columns
-- sees no change. ADD COLUMN only rewrites the table definition, not the rows. WAL readers keep reading the
-- snapshot they started with while this commits.

ALTER TABLE mirtlab_results ADD COLUMN patient_id      TEXT NULL;
ALTER TABLE mirtlab_results ADD COLUMN dose_mg_per_day REAL NULL;
ALTER TABLE mirtlab_results ADD COLUMN comments        TEXT NULL;
ALTER TABLE mirtlab_results ADD COLUMN derived_from    TEXT NULL;
