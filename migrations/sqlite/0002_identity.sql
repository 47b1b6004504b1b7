-- 0002_identity: accounts and sessions (src/identity/).  Never edit: add a new number.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('person', 'enterprise', 'staff')),
    login         TEXT NOT NULL UNIQUE,     -- ID number, credit code or staff username
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    dept_code     TEXT NOT NULL DEFAULT '',
    roles         TEXT NOT NULL DEFAULT '',  -- comma-separated role names
    password_hash TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,            -- SM3 of the bearer token; the token is never stored
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    login    TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);
