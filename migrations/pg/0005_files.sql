-- 0005_files: uploaded application materials (src/files/).  Contents are stored
-- once per SHA-256 (deduplicated, in the database so every node sees them);
-- each upload by an account is its own row with an unguessable id.
-- Never edit: add a new number.
CREATE TABLE file_blobs (
    sha256      TEXT PRIMARY KEY,
    size        BIGINT NOT NULL,
    mime        TEXT NOT NULL,
    data        BYTEA NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE uploads (
    id          TEXT PRIMARY KEY,          -- random, URL-safe
    sha256      TEXT NOT NULL REFERENCES file_blobs (sha256),
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    filename    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX uploads_account ON uploads (account_id, created_at);
