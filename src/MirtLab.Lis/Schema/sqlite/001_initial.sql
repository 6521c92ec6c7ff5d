-- MirtLab LIS interface tables, SQLite dialect, version 1.
-- A LIS reads these; MirtLab is their only writer. Keys are content-derived: a retried delivery
-- updates in place instead of inserting twice.

CREATE TABLE mirtlab_runs (
    run_key             TEXT    NOT NULL PRIMARY KEY,
    instrument          TEXT    NOT NULL,
    format              TEXT    NOT NULL,
    source_file         TEXT    NOT NULL,
    file_sha256         TEXT    NOT NULL,
    outcome             TEXT    NOT NULL,
    acquired_local      TEXT    NULL,
    acquired_utc        TEXT    NULL,
    config_version      TEXT    NOT NULL,
    patient_results     INTEGER NOT NULL,
    held_results        INTEGER NOT NULL,
    updated_utc         TEXT    NOT NULL
);

CREATE TABLE mirtlab_results (
    result_key            TEXT    NOT NULL PRIMARY KEY,
    run_key               TEXT    NOT NULL REFERENCES mirtlab_runs (run_key),
    revision              INTEGER NOT NULL,
    instrument            TEXT    NOT NULL,
    sample_name           TEXT    NOT NULL,
    sample_id             TEXT    NULL,
    analyte_code          TEXT    NOT NULL,
    analyte_name          TEXT    NULL,
    loinc                 TEXT    NULL,
    value                 REAL    NULL,
    unit                  TEXT    NULL,
    qualifier             TEXT    NULL,
    limit_value           REAL    NULL,
    display_value         TEXT    NOT NULL,
    flags                 TEXT    NOT NULL,
    reference_range       TEXT    NULL,
    status                TEXT    NOT NULL CHECK (status IN ('P', 'F', 'C')),
    hold_reasons          TEXT    NULL,
    raw_value             TEXT    NOT NULL,
    raw_unit              TEXT    NULL,
    source_file           TEXT    NOT NULL,
    source_line           INTEGER NOT NULL,
    instrument_time_local TEXT    NULL,
    instrument_time_utc   TEXT    NULL,
    config_version        TEXT    NOT NULL,
    document_json         TEXT    NOT NULL,
    updated_utc           TEXT    NOT NULL
);

CREATE INDEX ix_mirtlab_results_run ON mirtlab_results (run_key);
CREATE INDEX ix_mirtlab_results_sample ON mirtlab_results (sample_id, analyte_code);

-- Every revision a result ever had (corrected results keep their history).
CREATE TABLE mirtlab_result_history (
    result_key     TEXT    NOT NULL,
    revision       INTEGER NOT NULL,
    status         TEXT    NOT NULL,
    display_value  TEXT    NOT NULL,
    flags          TEXT    NOT NULL,
    document_json  TEXT    NOT NULL,
    recorded_utc   TEXT    NOT NULL,
    PRIMARY KEY (result_key, revision)
);

-- Readiness probe: MirtLab proves it can write by updating this one row.
CREATE TABLE mirtlab_health (
    id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    node         TEXT    NOT NULL,
    checked_utc  TEXT    NOT NULL
);
