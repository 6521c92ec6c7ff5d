-- MirtLab LIS interface tables, PostgreSQL dialect, version 1.
-- The same tables, columns and meaning as the SQLite dialect. Values are exact (numeric, never floating
-- point); instants are timestamptz; instrument local times stay text as written (wall-clock, no zone).
-- Tables are created unqualified, in the first schema of the migrating role's search_path
-- (deploy/sql/postgresql/grants.sql sets it to "mirtlab").

CREATE TABLE mirtlab_runs (
    run_key             text        NOT NULL PRIMARY KEY,
    instrument          text        NOT NULL,
    format              text        NOT NULL,
    source_file         text        NOT NULL,
    file_sha256         text        NOT NULL,
    outcome             text        NOT NULL,
    acquired_local      text        NULL,
    acquired_utc        timestamptz NULL,
    config_version      text        NOT NULL,
    patient_results     integer     NOT NULL,
    held_results        integer     NOT NULL,
    updated_utc         timestamptz NOT NULL
);

CREATE TABLE mirtlab_results (
    result_key            text        NOT NULL PRIMARY KEY,
    run_key               text        NOT NULL REFERENCES mirtlab_runs (run_key),
    revision              integer     NOT NULL,
    instrument            text        NOT NULL,
    sample_name           text        NOT NULL,
    sample_id             text        NULL,
    analyte_code          text        NOT NULL,
    analyte_name          text        NULL,
    loinc                 text        NULL,
    value                 numeric     NULL,
    unit                  text        NULL,
    qualifier             text        NULL,
    limit_value           numeric     NULL,
    display_value         text        NOT NULL,
    flags                 text        NOT NULL,
    reference_range       text        NULL,
    status                text        NOT NULL CHECK (status IN ('P', 'F', 'C')),
    hold_reasons          text        NULL,
    raw_value             text        NOT NULL,
    raw_unit              text        NULL,
    source_file           text        NOT NULL,
    source_line           integer     NOT NULL,
    instrument_time_local text        NULL,
    instrument_time_utc   timestamptz NULL,
    config_version        text        NOT NULL,
    document_json         text        NOT NULL,
    updated_utc           timestamptz NOT NULL
);

CREATE INDEX ix_mirtlab_results_run ON mirtlab_results (run_key);
CREATE INDEX ix_mirtlab_results_sample ON mirtlab_results (sample_id, analyte_code);

-- Every revision a result ever had (corrected results keep their history).
CREATE TABLE mirtlab_result_history (
    result_key     text        NOT NULL,
    revision       integer     NOT NULL,
    status         text        NOT NULL,
    display_value  text        NOT NULL,
    flags          text        NOT NULL,
    document_json  text        NOT NULL,
    recorded_utc   timestamptz NOT NULL,
    PRIMARY KEY (result_key, revision)
);

-- Readiness probe: MirtLab proves it can write by updating this one row.
CREATE TABLE mirtlab_health (
    id           integer     NOT NULL PRIMARY KEY CHECK (id = 1),
    node         text        NOT NULL,
    checked_utc  timestamptz NOT NULL
);
