-- 0022_selfservice: the self-service hall (src/selfservice/): kiosk logins
-- confirmed on the person's phone, the delivery of paper results (window,
-- locker, mail), the hall's locker compartments and failed pickup codes.
-- Never edit: add a new number.

-- A login request shown as a QR code on one kiosk.  code_hash: SM3 of the
-- secret in the QR (the phone's link); poll_hash: SM3 of the secret only the
-- kiosk page holds.  status: pending, confirmed (by account_id), used, cancelled.
CREATE TABLE ss_login_requests (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT NOT NULL UNIQUE,
    poll_hash   TEXT NOT NULL UNIQUE,
    kiosk       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'used', 'cancelled')),
    account_id  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    expires_ms  INTEGER NOT NULL
);

-- One delivery per approved case with a paper result.  method: '' (not yet
-- chosen), window, locker, mail.  status: pending (waiting for staff),
-- in_locker, shipped, done.
CREATE TABLE ss_deliveries (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL UNIQUE,
    case_no       TEXT NOT NULL UNIQUE,
    applicant_id  INTEGER NOT NULL,
    title         TEXT NOT NULL,
    dept          TEXT NOT NULL DEFAULT '',
    result        TEXT NOT NULL DEFAULT '',
    method        TEXT NOT NULL DEFAULT '' CHECK (method IN ('', 'window', 'locker', 'mail')),
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_locker', 'shipped', 'done')),
    recipient     TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    locker        TEXT NOT NULL DEFAULT '',
    compartment   INTEGER NOT NULL DEFAULT 0,
    code_hash     TEXT NOT NULL DEFAULT '',
    carrier       TEXT NOT NULL DEFAULT '',
    tracking_no   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    done_at       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ss_deliveries_applicant ON ss_deliveries (applicant_id);
CREATE INDEX ss_deliveries_status ON ss_deliveries (status, method);

-- The hall's lockers, one row per compartment; delivery_id 0 when free.
CREATE TABLE ss_compartments (
    locker       TEXT NOT NULL,
    slot         INTEGER NOT NULL,
    delivery_id  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (locker, slot)
);

-- Wrong pickup codes typed at a locker (five in 15 minutes lock it).
CREATE TABLE ss_pickup_failures (
    id      INTEGER PRIMARY KEY,
    locker  TEXT NOT NULL,
    at_ms   INTEGER NOT NULL
);
CREATE INDEX ss_pickup_failures_locker ON ss_pickup_failures (locker, at_ms);
