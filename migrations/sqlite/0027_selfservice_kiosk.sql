-- 0027_selfservice_kiosk: the second part of issue 20 (src/selfservice/):
-- pickup codes the owner asks for (only a salted SM3 of the code is kept),
-- when a result went into a locker (uncollected ones go back to the window),
-- compartments staff take out of service, kiosk logins by ID number and a
-- one-time SMS code, and which sessions are kiosk sessions.
-- Never edit: add a new number.

-- placed_ms: when staff put the result into its compartment (0: not in one);
-- returned_at: when an uncollected result went back to the window.
ALTER TABLE ss_deliveries ADD COLUMN placed_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ss_deliveries ADD COLUMN returned_at TEXT NOT NULL DEFAULT '';
CREATE INDEX ss_deliveries_placed ON ss_deliveries (status, placed_ms);

-- state: ok, or disabled (out of service: never given a new result).
ALTER TABLE ss_compartments ADD COLUMN state TEXT NOT NULL DEFAULT 'ok';

-- A one-time code sent by SMS to the account's registered phone.  token_hash:
-- SM3 of the secret the kiosk page holds; code_hash: salted SM3 of the code;
-- ident_hash: SM3 of the ID number (rate limits without storing it).
-- status: sent, used, void (expired, five wrong codes, or replaced).
CREATE TABLE ss_otps (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    kiosk       TEXT NOT NULL,
    ident_hash  TEXT NOT NULL,
    account_id  INTEGER NOT NULL DEFAULT 0,
    code_hash   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sent', 'used', 'void')),
    tries       INTEGER NOT NULL DEFAULT 0,
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL
);
CREATE INDEX ss_otps_ident ON ss_otps (ident_hash, created_ms);
CREATE INDEX ss_otps_kiosk ON ss_otps (kiosk, created_ms);

-- Sessions opened at a kiosk (by QR or one-time code): the kiosk actions
-- (apply, scan, print) are refused from any other session.
CREATE TABLE ss_kiosk_sessions (
    session_hash  TEXT PRIMARY KEY,
    kiosk         TEXT NOT NULL,
    account_id    INTEGER NOT NULL,
    via           TEXT NOT NULL,
    expires_ms    INTEGER NOT NULL
);
