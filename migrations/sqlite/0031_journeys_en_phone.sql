-- 0031_journeys_en_phone (issue 15): two things the journeys still lacked.
--
-- catalog: items.name_en, the item's English name (data/catalog/item_names_en.json,
-- made by rule from the Chinese name by scripts/gen-item-names-en.mjs); the
-- seed fills it, and over a catalog loaded before 0031 ywtb seed --catalog
-- fills the rows still without one.  '' = none (an item edited through the
-- API without an English name).
--
-- identity: a verified mobile number and the one-time codes sent by SMS.
-- accounts.phone_verified is the number the holder proved by a code (''
-- none); the phone is verified while it equals accounts.phone, so a changed
-- number is unverified at once.  phone_codes holds each code asked for:
-- purpose 'verify' (the holder proves their number) or 'reset' (a forgotten
-- password, asked by login without a session).  A reset asked for a login
-- without a verified phone is recorded too (account_id 0, no code) so that it
-- counts against the same limits and the answer does not tell.  Only the
-- code's SM3 hash is stored; attempts counts wrong entries, used_at ends it.
-- Never edit: add a new number.
ALTER TABLE items ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN phone_verified TEXT NOT NULL DEFAULT '';
CREATE TABLE phone_codes (
    id          INTEGER PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    login       TEXT NOT NULL,
    account_id  INTEGER NOT NULL DEFAULT 0,
    phone       TEXT NOT NULL DEFAULT '',
    code_hash   TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    used_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX phone_codes_login ON phone_codes (login, purpose, created_at);
CREATE INDEX phone_codes_ip ON phone_codes (ip, created_at);
