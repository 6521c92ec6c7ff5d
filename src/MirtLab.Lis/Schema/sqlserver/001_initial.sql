-- MirtLab LIS interface tables, SQL Server dialect, version 1.
-- The same tables, columns and meaning as the SQLite dialect. Values are exact decimal(19,6); instants are
-- datetime2 in UTC; instrument local times stay text as written (wall-clock, no zone). Tables are created
-- unqualified, in the migrating user's default schema (deploy/sql/sqlserver/grants.sql makes it "mirtlab").

CREATE TABLE mirtlab_runs (
    run_key             nvarchar(64)   NOT NULL CONSTRAINT pk_mirtlab_runs PRIMARY KEY,
    instrument          nvarchar(100)  NOT NULL,
    format              nvarchar(100)  NOT NULL,
    source_file         nvarchar(1024) NOT NULL,
    file_sha256         nvarchar(64)   NOT NULL,
    outcome             nvarchar(40)   NOT NULL,
    acquired_local      nvarchar(40)   NULL,
    acquired_utc        datetime2(3)   NULL,
    config_version      nvarchar(200)  NOT NULL,
    patient_results     int            NOT NULL,
    held_results        int            NOT NULL,
    updated_utc         datetime2(3)   NOT NULL
);

CREATE TABLE mirtlab_results (
    result_key            nvarchar(64)   NOT NULL CONSTRAINT pk_mirtlab_results PRIMARY KEY,
    run_key               nvarchar(64)   NOT NULL CONSTRAINT fk_mirtlab_results_run REFERENCES mirtlab_runs (run_key),
    revision              int            NOT NULL,
    instrument            nvarchar(100)  NOT NULL,
    sample_name           nvarchar(400)  NOT NULL,
    sample_id             nvarchar(200)  NULL,
    analyte_code          nvarchar(100)  NOT NULL,
    analyte_name          nvarchar(400)  NULL,
    loinc                 nvarchar(20)   NULL,
    value                 decimal(19,6)  NULL,
    unit                  nvarchar(60)   NULL,
    qualifier             nvarchar(10)   NULL,
    limit_value           decimal(19,6)  NULL,
    display_value         nvarchar(200)  NOT NULL,
    flags                 nvarchar(400)  NOT NULL,
    reference_range       nvarchar(400)  NULL,
    status                nvarchar(1)    NOT NULL CONSTRAINT ck_mirtlab_results_status CHECK (status IN (N'P', N'F', N'C')),
    hold_reasons          nvarchar(max)  NULL,
    raw_value             nvarchar(400)  NOT NULL,
    raw_unit              nvarchar(60)   NULL,
    source_file           nvarchar(1024) NOT NULL,
    source_line           int            NOT NULL,
    instrument_time_local nvarchar(40)   NULL,
    instrument_time_utc   datetime2(3)   NULL,
    config_version        nvarchar(200)  NOT NULL,
    document_json         nvarchar(max)  NOT NULL,
    updated_utc           datetime2(3)   NOT NULL
);

CREATE INDEX ix_mirtlab_results_run ON mirtlab_results (run_key);
CREATE INDEX ix_mirtlab_results_sample ON mirtlab_results (sample_id, analyte_code);

-- Every revision a result ever had (corrected results keep their history).
CREATE TABLE mirtlab_result_history (
    result_key     nvarchar(64)  NOT NULL,
    revision       int           NOT NULL,
    status         nvarchar(1)   NOT NULL,
    display_value  nvarchar(200) NOT NULL,
    flags          nvarchar(400) NOT NULL,
    document_json  nvarchar(max) NOT NULL,
    recorded_utc   datetime2(3)  NOT NULL,
    CONSTRAINT pk_mirtlab_result_history PRIMARY KEY (result_key, revision)
);

-- Readiness probe: MirtLab proves it can write by updating this one row.
CREATE TABLE mirtlab_health (
    id           int           NOT NULL CONSTRAINT pk_mirtlab_health PRIMARY KEY CONSTRAINT ck_mirtlab_health_id CHECK (id = 1),
    node         nvarchar(200) NOT NULL,
    checked_utc  datetime2(3)  NOT NULL
);
