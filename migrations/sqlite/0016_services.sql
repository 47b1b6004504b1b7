-- 0016_services: service hall 2.0 (src/services/): the hall's windows and
-- the booked counts of their slots (slots themselves follow from the window's
-- hours and the working-day calendar), appointments, queue tickets and the
-- per-day number counters, 好差评 ratings with rectifications and appeals,
-- consultations, the in-app inbox, the people's contact settings and the
-- outgoing message queue (email, SMS) the background sender works through.
-- Never edit: add a new number.
CREATE TABLE svc_windows (
    code          TEXT PRIMARY KEY,             -- W01
    name          TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    dept          TEXT NOT NULL DEFAULT '',     -- '' = integrated window (综合窗口): every department
    item_codes    TEXT NOT NULL DEFAULT '[]',   -- JSON array of item codes; [] = every item of dept
    hours         TEXT NOT NULL,                -- '09:00-12:00,13:30-17:00' (Asia/Shanghai)
    slot_minutes  INTEGER NOT NULL,
    capacity      INTEGER NOT NULL,             -- bookings per slot
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at    TEXT NOT NULL
);

CREATE TABLE svc_slot_counts (
    slot_key      TEXT PRIMARY KEY,             -- W01.20261208.0900
    window_code   TEXT NOT NULL REFERENCES svc_windows (code),
    day           TEXT NOT NULL,
    capacity      INTEGER NOT NULL,
    booked        INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity)
);

CREATE TABLE svc_appointments (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,        -- the booking code (and its QR)
    account_id      INTEGER NOT NULL,
    ident           TEXT NOT NULL,               -- ID number or credit code
    name            TEXT NOT NULL,
    item_code       TEXT NOT NULL,
    item_name       TEXT NOT NULL,
    dept            TEXT NOT NULL,
    window_code     TEXT NOT NULL REFERENCES svc_windows (code),
    slot_key        TEXT NOT NULL,
    day             TEXT NOT NULL,               -- YYYY-MM-DD
    start_at        TEXT NOT NULL,               -- UTC ISO
    end_at          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'booked'
                    CHECK (status IN ('booked', 'cancelled', 'checked_in', 'no_show', 'done')),
    seq             INTEGER NOT NULL DEFAULT 0,  -- iCalendar SEQUENCE: bumped by each change
    reminded        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX svc_appointments_one_active ON svc_appointments (account_id, item_code)
    WHERE status = 'booked';
CREATE INDEX svc_appointments_account ON svc_appointments (account_id, status);
CREATE INDEX svc_appointments_day ON svc_appointments (day, status);

CREATE TABLE svc_counters (
    name          TEXT PRIMARY KEY,              -- '2026-12-08.A'
    last          INTEGER NOT NULL
);

CREATE TABLE svc_tickets (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL,               -- A012 (booked), B034 (walk-in), V005 (priority)
    day             TEXT NOT NULL,
    item_code       TEXT NOT NULL,
    item_name       TEXT NOT NULL,
    dept            TEXT NOT NULL,
    account_id      INTEGER NOT NULL DEFAULT 0,  -- 0: not known (a walk-in without an account)
    ident           TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    appointment_id  INTEGER REFERENCES svc_appointments (id),
    slot_start      TEXT NOT NULL DEFAULT '',
    priority        INTEGER NOT NULL DEFAULT 0,  -- 1: elderly (70+) or asked for help
    status          TEXT NOT NULL DEFAULT 'waiting'
                    CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show')),
    window_code     TEXT NOT NULL DEFAULT '',
    clerk_id        INTEGER NOT NULL DEFAULT 0,
    calls           INTEGER NOT NULL DEFAULT 0,
    case_no         TEXT NOT NULL DEFAULT '',
    issued_at       TEXT NOT NULL,
    called_at       TEXT NOT NULL DEFAULT '',
    started_at      TEXT NOT NULL DEFAULT '',
    finished_at     TEXT NOT NULL DEFAULT '',
    UNIQUE (day, number)
);
CREATE INDEX svc_tickets_waiting ON svc_tickets (day, status);
CREATE INDEX svc_tickets_called ON svc_tickets (called_at);

CREATE TABLE svc_ratings (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('case', 'visit', 'rectification')),
    target        TEXT NOT NULL,                 -- case number, ticket id, rectification id
    account_id    INTEGER NOT NULL,              -- who may rate: the applicant
    dept          TEXT NOT NULL,
    item_code     TEXT NOT NULL DEFAULT '',
    window_code   TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    opened_at     TEXT NOT NULL,
    closes_at     TEXT NOT NULL,
    level         INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 5),  -- 0: not rated yet
    comment       TEXT NOT NULL DEFAULT '',
    rated_at      TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'annulled')),
    UNIQUE (kind, target)
);
CREATE INDEX svc_ratings_account ON svc_ratings (account_id, level);
CREATE INDEX svc_ratings_dept ON svc_ratings (dept, level);

CREATE TABLE svc_rectifications (
    id             INTEGER PRIMARY KEY,
    rating_id      INTEGER NOT NULL UNIQUE REFERENCES svc_ratings (id),
    dept           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'reported', 'appealed', 'annulled')),
    due_day        TEXT NOT NULL,
    verified       TEXT NOT NULL DEFAULT '',
    contacted      TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL DEFAULT '',
    reported_at    TEXT NOT NULL DEFAULT '',
    reported_by    INTEGER NOT NULL DEFAULT 0,
    appeal_reason  TEXT NOT NULL DEFAULT '',
    appeal_result  TEXT NOT NULL DEFAULT '' CHECK (appeal_result IN ('', 'pending', 'upheld', 'rejected')),
    appeal_note    TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
CREATE INDEX svc_rectifications_dept ON svc_rectifications (dept, status);

CREATE TABLE svc_consultations (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL,
    item_code     TEXT NOT NULL,
    item_name     TEXT NOT NULL,
    dept          TEXT NOT NULL,
    question      TEXT NOT NULL,
    file_id       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
    answer        TEXT NOT NULL DEFAULT '',
    answered_by   INTEGER NOT NULL DEFAULT 0,
    published     INTEGER NOT NULL DEFAULT 0,
    asked_at      TEXT NOT NULL,
    due_day       TEXT NOT NULL,
    answered_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX svc_consultations_dept ON svc_consultations (dept, status);
CREATE INDEX svc_consultations_account ON svc_consultations (account_id);

CREATE TABLE svc_contacts (
    account_id    INTEGER PRIMARY KEY,
    email         TEXT NOT NULL DEFAULT '',
    sms           TEXT NOT NULL DEFAULT '',
    channels      TEXT NOT NULL DEFAULT 'inbox,email',   -- comma-separated: inbox, email, sms
    lang          TEXT NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
    updated_at    TEXT NOT NULL
);

CREATE TABLE svc_inbox (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL,
    event_key     TEXT NOT NULL,                 -- 'case.accepted:XH...' : one message per event
    template      TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    link          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    read_at       TEXT NOT NULL DEFAULT '',
    UNIQUE (account_id, event_key)
);
CREATE INDEX svc_inbox_unread ON svc_inbox (account_id, read_at);

CREATE TABLE svc_outbox (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    event_key     TEXT NOT NULL,
    account_id    INTEGER NOT NULL,
    to_addr       TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    ics           TEXT NOT NULL DEFAULT '',      -- an iCalendar attachment (RFC 5545), '' = none
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       TEXT NOT NULL,
    locked_until  TEXT NOT NULL DEFAULT '',
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    sent_at       TEXT NOT NULL DEFAULT '',
    UNIQUE (channel, event_key, account_id)
);
CREATE INDEX svc_outbox_due ON svc_outbox (status, next_at);
