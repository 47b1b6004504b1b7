-- 0014_datahub: the data hub (src/datahub/): the catalog of data resources
-- (versioned), their records by subject, import batches, sharing grants per
-- department and field, the ledger of every read (用数记录), disputes of
-- ledger entries and data corrections (数据纠错).
-- Never edit: add a new number.
CREATE TABLE dh_resources (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    dept           TEXT NOT NULL,
    name           TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('person', 'enterprise', 'none')),
    subject_field  TEXT NOT NULL DEFAULT '',
    record_key     TEXT NOT NULL DEFAULT '',
    share_type     TEXT NOT NULL CHECK (share_type IN ('unconditional', 'conditional', 'none')),
    open           INTEGER NOT NULL DEFAULT 0,
    self_view      INTEGER NOT NULL DEFAULT 1,
    frequency      TEXT NOT NULL CHECK (frequency IN ('realtime', 'daily', 'monthly', 'yearly')),
    legal_basis    TEXT NOT NULL DEFAULT '',
    fields         TEXT NOT NULL,              -- JSON array of field specs
    version        INTEGER NOT NULL DEFAULT 1,
    rows_refused   INTEGER NOT NULL DEFAULT 0,
    last_import_at TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX dh_resources_dept ON dh_resources (dept);

CREATE TABLE dh_resource_versions (
    resource_id INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (resource_id, version)
);

CREATE TABLE dh_batches (
    id           INTEGER PRIMARY KEY,
    resource_id  INTEGER NOT NULL,
    source       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    idem_key     TEXT,
    req_hash     TEXT NOT NULL DEFAULT '',   -- SM3 of the pushed body (an Idempotency-Key names one body)
    rows_ok      INTEGER NOT NULL DEFAULT 0,
    rows_refused INTEGER NOT NULL DEFAULT 0,
    result       TEXT NOT NULL DEFAULT '{}',
    at           TEXT NOT NULL,
    UNIQUE (resource_id, idem_key)
);

CREATE TABLE dh_records (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL,
    subject     TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    data        TEXT NOT NULL,
    batch_id    INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (resource_id, subject, record_key)
);
CREATE INDEX dh_records_subject ON dh_records (subject, resource_id);

CREATE TABLE dh_grants (
    id           INTEGER PRIMARY KEY,
    resource_id  INTEGER NOT NULL,
    dept         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'revoked')),
    purpose      TEXT NOT NULL,
    legal_basis  TEXT NOT NULL,
    requested    TEXT NOT NULL,               -- JSON array of field keys
    fields       TEXT NOT NULL DEFAULT '[]',  -- granted
    masked       TEXT NOT NULL DEFAULT '[]',  -- granted, shown masked
    until_day    TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    decided_by   TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    decided_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dh_grants_dept ON dh_grants (dept, resource_id, status);
CREATE INDEX dh_grants_resource ON dh_grants (resource_id, status);

CREATE TABLE dh_ledger (
    id            INTEGER PRIMARY KEY,
    subject       TEXT NOT NULL,
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    owner_dept    TEXT NOT NULL,
    reader_kind   TEXT NOT NULL,              -- staff | system | prefill | self
    reader_dept   TEXT NOT NULL,
    reader        TEXT NOT NULL,
    reader_name   TEXT NOT NULL,
    fields        TEXT NOT NULL,              -- JSON array
    purpose_code  TEXT NOT NULL,
    purpose_text  TEXT NOT NULL DEFAULT '',
    case_no       TEXT NOT NULL DEFAULT '',
    sealed_until  TEXT NOT NULL DEFAULT '',
    seal_basis    TEXT NOT NULL DEFAULT '',
    at            TEXT NOT NULL
);
CREATE INDEX dh_ledger_subject ON dh_ledger (subject, id);
CREATE INDEX dh_ledger_reader ON dh_ledger (reader_dept, id);

CREATE TABLE dh_disputes (
    id          INTEGER PRIMARY KEY,
    ledger_id   INTEGER NOT NULL,
    subject     TEXT NOT NULL,
    reader_dept TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'answered')),
    answer      TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    answered_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dh_disputes_subject ON dh_disputes (subject);
CREATE INDEX dh_disputes_dept ON dh_disputes (reader_dept, status);

CREATE TABLE dh_corrections (
    id          INTEGER PRIMARY KEY,
    subject     TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    dept        TEXT NOT NULL,
    field       TEXT NOT NULL,
    current_val TEXT NOT NULL DEFAULT '',
    proposed    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'corrected', 'rejected')),
    answer      TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL DEFAULT '',
    due_day     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    answered_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dh_corrections_subject ON dh_corrections (subject);
CREATE INDEX dh_corrections_dept ON dh_corrections (dept, status);
