-- 0004_profiles: what an account's identifier tells about its holder, and the
-- agents (经办人) a company authorizes (src/identity/).  Never edit: add a new number.
CREATE TABLE person_profiles (
    account_id  BIGINT PRIMARY KEY REFERENCES accounts (id),
    id_number   TEXT NOT NULL UNIQUE,
    sex         TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date  TEXT NOT NULL,
    region      TEXT NOT NULL,
    realname_level INTEGER NOT NULL DEFAULT 2
);

CREATE TABLE enterprise_profiles (
    account_id      BIGINT PRIMARY KEY REFERENCES accounts (id),
    uscc            TEXT NOT NULL UNIQUE,
    legal_rep_name  TEXT NOT NULL,
    legal_rep_id    TEXT NOT NULL,
    region          TEXT NOT NULL,
    category        TEXT NOT NULL DEFAULT '',
    realname_level  INTEGER NOT NULL DEFAULT 2
);

CREATE TABLE enterprise_agents (
    enterprise_id  BIGINT NOT NULL REFERENCES accounts (id),
    agent_id       BIGINT NOT NULL REFERENCES accounts (id),
    authorized_at  TEXT NOT NULL,
    revoked_at     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (enterprise_id, agent_id)
);
CREATE INDEX enterprise_agents_agent ON enterprise_agents (agent_id);
