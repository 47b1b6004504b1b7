-- 0006_cases: applications, their materials, timeline, review tasks, the
-- idempotency keys of submissions, and the event outbox (src/cases/, db/events.c).
-- Never edit: add a new number.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    case_no          TEXT UNIQUE,                 -- XH + YYYYMMDD + id (docs/ARCHITECTURE.md)
    parent_id        INTEGER REFERENCES cases (id), -- bundle sub-cases point at the bundle case
    kind             TEXT NOT NULL CHECK (kind IN ('item', 'bundle')),
    item_id          INTEGER REFERENCES items (id), -- the item version the case was filed under
    code             TEXT NOT NULL,               -- item or bundle code
    title            TEXT NOT NULL,
    dept_code        TEXT NOT NULL DEFAULT '',
    bundle_step      INTEGER NOT NULL DEFAULT 0,
    applicant_id     INTEGER NOT NULL REFERENCES accounts (id),
    applicant_kind   TEXT NOT NULL,
    applicant_name   TEXT NOT NULL,
    applicant_ident  TEXT NOT NULL,               -- ID number or credit code
    submitted_by     INTEGER NOT NULL REFERENCES accounts (id), -- the applicant, an agent or a clerk
    channel          TEXT NOT NULL CHECK (channel IN ('online', 'window', 'kiosk')),
    status           TEXT NOT NULL,
    form             TEXT NOT NULL DEFAULT '{}',
    legal_days       INTEGER NOT NULL DEFAULT 0,
    promised_days    INTEGER NOT NULL DEFAULT 0,
    current_step     INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    submitted_at     TEXT NOT NULL DEFAULT '',
    accepted_at      TEXT NOT NULL DEFAULT '',
    decided_at       TEXT NOT NULL DEFAULT '',
    start_day        INTEGER NOT NULL DEFAULT 0,  -- day the clock started (acceptance), day number
    due_day          INTEGER NOT NULL DEFAULT 0,  -- promised due day, moved on by pauses
    legal_due_day    INTEGER NOT NULL DEFAULT 0,
    paused_days      INTEGER NOT NULL DEFAULT 0,  -- working days of finished pauses
    pause_kind       TEXT NOT NULL DEFAULT '',    -- running special procedure, '' when none
    pause_day        INTEGER NOT NULL DEFAULT 0,
    supplement       TEXT NOT NULL DEFAULT '',    -- the one-time supplement notice (JSON)
    result_note      TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_applicant ON cases (applicant_id, id);
CREATE INDEX cases_status ON cases (status, due_day);
CREATE INDEX cases_parent ON cases (parent_id);

CREATE TABLE case_materials (
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    material_code  TEXT NOT NULL,
    name           TEXT NOT NULL,
    required       TEXT NOT NULL,
    license_type   TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT 'none' CHECK (source IN ('none', 'file', 'license')),
    ref            TEXT NOT NULL DEFAULT '',      -- upload id or license id
    sort           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, material_code)
);

CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    at           TEXT NOT NULL,
    actor_id     INTEGER NOT NULL,
    actor_name   TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT NOT NULL DEFAULT '',
    to_status    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    dept_code    TEXT NOT NULL,
    step         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('review', 'opinion')),
    status       TEXT NOT NULL,                   -- pending, approved, denied, returned, rerouted, cancelled, done
    assignee_id  INTEGER NOT NULL DEFAULT 0,
    requested_by INTEGER NOT NULL DEFAULT 0,      -- opinion tasks: the task that asked
    decided_by   INTEGER NOT NULL DEFAULT 0,
    decided_at   TEXT NOT NULL DEFAULT '',
    opinion      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    due_day      INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_queue ON tasks (dept_code, status, due_day);
CREATE INDEX tasks_case ON tasks (case_id);

CREATE TABLE idempotency_keys (
    account_id  INTEGER NOT NULL,
    key         TEXT NOT NULL,
    case_id     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, key)
);

CREATE TABLE outbox_events (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
