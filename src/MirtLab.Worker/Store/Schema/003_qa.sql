-- Version 3: the QA review workflow. People who sign in (technicians, QA reviewers, administrators) and the
-- decisions QA reviewers sign. Independent of version 2, which may be applied before or after this one.

-- A user is never deleted and a name is never reused (21 CFR 11.300(a)): disabling keeps the row, so every
-- audit record and signature still names a person.
CREATE TABLE users (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    name                  TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    display_name          TEXT    NOT NULL,
    role                  TEXT    NOT NULL CHECK (role IN ('technician', 'qa-reviewer', 'administrator')),
    -- ASP.NET Core PasswordHasher v3 (PBKDF2-HMAC-SHA512, salted); never the password.
    password_hash         TEXT    NOT NULL,
    -- Changes whenever the password, role or state changes: sessions signed in before are refused.
    security_stamp        TEXT    NOT NULL,
    created_utc           TEXT    NOT NULL,
    created_by            TEXT    NOT NULL,
    password_changed_utc  TEXT    NOT NULL,
    disabled_utc          TEXT    NULL,
    disabled_by           TEXT    NULL,
    failed_attempts       INTEGER NOT NULL DEFAULT 0,
    locked_until_utc      TEXT    NULL,
    last_sign_in_utc      TEXT    NULL
);

-- One signed QA decision: what was decided, why, by whom, when, what the signature meant, and the batch that
-- carries the changed results to the LIS and MQTT. Written in the same transaction as the results it changes.
CREATE TABLE qa_decisions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    run_key            TEXT    NOT NULL REFERENCES runs (run_key),
    kind               TEXT    NOT NULL CHECK (kind IN ('accept-analyte', 'reject-analyte', 'release-result')),
    analyte            TEXT    NOT NULL,
    result_key         TEXT    NULL,
    reason             TEXT    NOT NULL,
    previous_outcome   TEXT    NOT NULL,
    new_outcome        TEXT    NOT NULL,
    signer_id          INTEGER NOT NULL REFERENCES users (id),
    signer_name        TEXT    NOT NULL,
    signer_display     TEXT    NOT NULL,
    signer_role        TEXT    NOT NULL,
    signature_meaning  TEXT    NOT NULL,
    signed_utc         TEXT    NOT NULL,
    batch_id           INTEGER NOT NULL REFERENCES batches (id),
    changed_results    INTEGER NOT NULL,
    audit_seq          INTEGER NOT NULL
);

CREATE INDEX ix_qa_decisions_run ON qa_decisions (run_key, id);

CREATE TRIGGER qa_decisions_no_update BEFORE UPDATE ON qa_decisions BEGIN SELECT RAISE(ABORT, 'QA decisions are append-only'); END;
CREATE TRIGGER qa_decisions_no_delete BEFORE DELETE ON qa_decisions BEGIN SELECT RAISE(ABORT, 'QA decisions are append-only'); END;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users BEGIN SELECT RAISE(ABORT, 'users are disabled, never deleted'); END;

CREATE INDEX ix_runs_acquired ON runs (instrument, acquired_utc);
