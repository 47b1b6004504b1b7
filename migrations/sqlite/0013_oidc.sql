-- 0013_oidc: the client registry and the OpenID Connect provider (src/identity/,
-- issue 13).  Never edit: add a new number.
--
-- oidc_clients   every registered system: department systems calling APIs with
--                client_credentials and relying parties logging people in.  The
--                secret is stored as its SM3 hash only (shown once).
-- oidc_keys      signing keys of ID tokens: the private key sealed under the
--                server's secret key; retired keys stay published until the
--                tokens they signed have expired.
-- oidc_codes     authorization codes (hash only): single use, short-lived.
-- oidc_grants    one login of a person to a client through ywtb (the code
--                exchanged): what refresh tokens hang on, what the portal lists.
-- oidc_tokens    access and refresh tokens (hash only).
-- oidc_consents  what a person allowed a client to know, until withdrawn.
CREATE TABLE oidc_clients (
    client_id        TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    dept_code        TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('confidential', 'public')),
    secret_hash      TEXT NOT NULL DEFAULT '',   -- SM3 hex of the secret; '' for public clients
    redirect_uris    TEXT NOT NULL DEFAULT '[]', -- JSON array, matched exactly
    logout_uris      TEXT NOT NULL DEFAULT '[]', -- JSON array: post_logout_redirect_uri values
    scopes           TEXT NOT NULL DEFAULT '',   -- space-separated
    grant_types      TEXT NOT NULL DEFAULT '',   -- space-separated
    access_ttl       INTEGER NOT NULL,
    refresh_ttl      INTEGER NOT NULL,
    id_token_alg     TEXT NOT NULL DEFAULT 'ES256',
    min_acr          INTEGER NOT NULL DEFAULT 0,
    full_id_number   INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    secret_at        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX oidc_clients_dept ON oidc_clients (dept_code);

CREATE TABLE oidc_keys (
    kid            TEXT PRIMARY KEY,
    alg            TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    public_jwk     TEXT NOT NULL,              -- JSON object
    created_at     TEXT NOT NULL,
    retired_at     TEXT                        -- NULL: signing now
);

CREATE TABLE oidc_codes (
    code_hash      TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    account_id     INTEGER NOT NULL,
    session_hash   TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    nonce          TEXT NOT NULL DEFAULT '',
    code_challenge TEXT NOT NULL DEFAULT '',
    auth_time      INTEGER NOT NULL,
    acr            INTEGER NOT NULL,
    expires_at     TEXT NOT NULL,
    used_at        TEXT,
    grant_id       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE oidc_grants (
    id           INTEGER PRIMARY KEY,
    client_id    TEXT NOT NULL,
    account_id   INTEGER NOT NULL,
    session_hash TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    nonce        TEXT NOT NULL DEFAULT '',
    auth_time    INTEGER NOT NULL,
    acr          INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX oidc_grants_account ON oidc_grants (account_id, created_at);
CREATE INDEX oidc_grants_session ON oidc_grants (session_hash);

CREATE TABLE oidc_tokens (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    client_id  TEXT NOT NULL,
    account_id INTEGER NOT NULL DEFAULT 0,     -- 0: a client_credentials token
    grant_id   INTEGER NOT NULL DEFAULT 0,
    scopes     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'used', 'revoked'))
);
CREATE INDEX oidc_tokens_grant ON oidc_tokens (grant_id);
CREATE INDEX oidc_tokens_expiry ON oidc_tokens (expires_at);

CREATE TABLE oidc_consents (
    account_id INTEGER NOT NULL,
    client_id  TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (account_id, client_id)
);
