-- 0007_licenses: the electronic license library (src/licenses/): issuers'
-- credit codes, GB/T 36904 type codes, departments' SM2 signing keys (private
-- keys sealed under the configured secret key), licenses with their signed
-- documents, serial counters, the holder-visible use log and view grants.
-- Never edit: add a new number.
ALTER TABLE departments ADD COLUMN uscc TEXT NOT NULL DEFAULT '';
ALTER TABLE license_types ADD COLUMN type_code TEXT NOT NULL DEFAULT '';

CREATE TABLE signing_keys (
    key_id          TEXT PRIMARY KEY,
    dept_code       TEXT NOT NULL REFERENCES departments (code),
    algorithm       TEXT NOT NULL DEFAULT 'SM2-SM3',
    public_pem      TEXT NOT NULL,
    private_sealed  TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    created_at      TEXT NOT NULL,
    retired_at      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signing_keys_dept ON signing_keys (dept_code, status);

CREATE TABLE licenses (
    id             TEXT PRIMARY KEY,              -- GB/T 36904 identifier
    type_code      TEXT NOT NULL REFERENCES license_types (code),
    issuer_dept    TEXT NOT NULL REFERENCES departments (code),
    serial         TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    holder_kind    TEXT NOT NULL CHECK (holder_kind IN ('person', 'enterprise')),
    holder_ident   TEXT NOT NULL,                 -- ID number or credit code
    holder_name    TEXT NOT NULL,
    fields         TEXT NOT NULL,                 -- JSON object
    issued_at      TEXT NOT NULL,
    valid_from     TEXT NOT NULL,                 -- YYYY-MM-DD
    valid_until    TEXT NOT NULL DEFAULT '',      -- YYYY-MM-DD, '' = no end
    status         TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'suspended', 'revoked')),
    status_reason  TEXT NOT NULL DEFAULT '',
    status_at      TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT '',      -- the case number, 'api' or 'import'
    key_id         TEXT NOT NULL REFERENCES signing_keys (key_id),
    document       TEXT NOT NULL,                 -- the canonical signed JSON
    signature      TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX licenses_holder ON licenses (holder_ident, type_code, status);
CREATE INDEX licenses_issuer ON licenses (issuer_dept, status);

CREATE TABLE license_serials (
    issuer_dept  TEXT NOT NULL,
    year         INTEGER NOT NULL,
    next         INTEGER NOT NULL,
    PRIMARY KEY (issuer_dept, year)
);

CREATE TABLE license_uses (
    id             INTEGER PRIMARY KEY,
    license_id     TEXT NOT NULL REFERENCES licenses (id),
    case_no        TEXT NOT NULL DEFAULT '',
    dept_code      TEXT NOT NULL DEFAULT '',
    material_name  TEXT NOT NULL DEFAULT '',
    purpose        TEXT NOT NULL,
    actor          TEXT NOT NULL DEFAULT '',
    used_at        TEXT NOT NULL
);
CREATE INDEX license_uses_license ON license_uses (license_id, id);

CREATE TABLE license_grants (
    code         TEXT PRIMARY KEY,
    license_id   TEXT NOT NULL REFERENCES licenses (id),
    grantee      TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT NOT NULL DEFAULT '',
    views        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX license_grants_license ON license_grants (license_id);
