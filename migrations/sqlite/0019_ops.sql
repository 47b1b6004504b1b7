-- 0019_ops: the rate limits of public routes (registration, public status,
-- license verification) as token buckets shared by every node (issue 21 item 7:
-- kept per node they allowed N nodes N times as much).  One row per route and
-- client address: the tokens left and when they were last counted.  Used on
-- PostgreSQL, where several nodes share the database; a SQLite deployment is
-- one node and keeps its buckets in memory (the table stays empty).
-- And the backups `ywtb backup` made of a SQLite database (when, where, how many
-- pages), for the backup-age metric; each is an audit record too.
-- Never edit: add a new number.
CREATE TABLE rate_buckets (
    k       TEXT PRIMARY KEY,
    tokens  REAL NOT NULL,
    last_ms INTEGER NOT NULL,
    ok      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rate_buckets_last ON rate_buckets (last_ms);
CREATE TABLE backups (
    id          INTEGER PRIMARY KEY,
    finished_ms INTEGER NOT NULL,
    path        TEXT NOT NULL,
    pages       INTEGER NOT NULL
);
