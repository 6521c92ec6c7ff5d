-- MirtLab's own store (SQLite), version 1: what was received, what it contained, what must still be
-- delivered, and the audit trail. Written in one transaction per input, before anything is published.

CREATE TABLE inputs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256            TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    instrument        TEXT    NOT NULL,
    is_folder         INTEGER NOT NULL,
    size_bytes        INTEGER NOT NULL,
    received_utc      TEXT    NOT NULL,
    outcome           TEXT    NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'duplicate')),
    format            TEXT    NULL,
    duplicate_of      INTEGER NULL REFERENCES inputs (id),
    work_path         TEXT    NOT NULL,
    final_path        TEXT    NOT NULL,
    finalized_utc     TEXT    NULL,
    diagnostics_json  TEXT    NOT NULL
);

-- The same content is accepted once; dropped again it is recorded as a duplicate.
CREATE UNIQUE INDEX ux_inputs_accepted_sha ON inputs (sha256) WHERE outcome = 'accepted';
CREATE INDEX ix_inputs_sha ON inputs (sha256);
CREATE INDEX ix_inputs_unfinalized ON inputs (work_path) WHERE finalized_utc IS NULL;
CREATE INDEX ix_inputs_received ON inputs (instrument, received_utc);

CREATE TABLE runs (
    run_key          TEXT    NOT NULL PRIMARY KEY,
    input_id         INTEGER NOT NULL REFERENCES inputs (id),
    instrument       TEXT    NOT NULL,
    format           TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    outcome          TEXT    NOT NULL,
    acquired_utc     TEXT    NULL,
    config_version   TEXT    NOT NULL,
    document_json    TEXT    NOT NULL,
    created_utc      TEXT    NOT NULL,
    updated_utc      TEXT    NOT NULL
);

CREATE TABLE results (
    result_key     TEXT    NOT NULL PRIMARY KEY,
    run_key        TEXT    NOT NULL REFERENCES runs (run_key),
    revision       INTEGER NOT NULL,
    is_patient     INTEGER NOT NULL,
    sample_type    TEXT    NOT NULL,
    analyte        TEXT    NULL,
    status         TEXT    NULL,
    document_json  TEXT    NOT NULL,
    updated_utc    TEXT    NOT NULL
);

CREATE INDEX ix_results_run ON results (run_key);

-- A batch is one delivery unit: the results of one input, or the changes one QA decision made.
CREATE TABLE batches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    run_key      TEXT    NOT NULL REFERENCES runs (run_key),
    created_utc  TEXT    NOT NULL,
    reason       TEXT    NULL
);

-- Every revision of every result, and the batch that carries it.
CREATE TABLE result_history (
    result_key     TEXT    NOT NULL,
    revision       INTEGER NOT NULL,
    batch_id       INTEGER NOT NULL REFERENCES batches (id),
    document_json  TEXT    NOT NULL,
    created_utc    TEXT    NOT NULL,
    PRIMARY KEY (result_key, revision)
);

CREATE INDEX ix_result_history_batch ON result_history (batch_id);

CREATE TABLE outbox (
    batch_id          INTEGER NOT NULL REFERENCES batches (id),
    destination       TEXT    NOT NULL,
    state             TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_utc  TEXT    NOT NULL,
    last_error        TEXT    NULL,
    created_utc       TEXT    NOT NULL,
    delivered_utc     TEXT    NULL,
    PRIMARY KEY (batch_id, destination)
);

CREATE INDEX ix_outbox_due ON outbox (destination, state, next_attempt_utc);

-- Append-only, hash-chained (see AuditChain): editing or deleting a record is detectable.
CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY,
    at_utc        TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    details_json  TEXT    NOT NULL,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
