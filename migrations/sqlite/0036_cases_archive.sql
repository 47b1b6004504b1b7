-- 0036_cases_archive: finished cases older than cases_archive_after_days leave
-- the working tables for archive tables of the same shape (src/cases/archive.c),
-- so ten years of cases do not weigh on the tables every submission and review
-- writes.  The case page, an applicant's list, the public status query and the
-- file check read the archive when a case is not in the working tables.  On
-- PostgreSQL cases_archive is partitioned by the month the case finished
-- (partitions made by the archive job); on SQLite it is one table.
-- finished_on is the day of decided_at; archived_at when the job moved it.
-- Never edit: add a new number.
CREATE TABLE cases_archive (
    id               INTEGER PRIMARY KEY,
    case_no          TEXT UNIQUE,
    parent_id        INTEGER,
    kind             TEXT NOT NULL,
    item_id          INTEGER,
    code             TEXT NOT NULL,
    title            TEXT NOT NULL,
    dept_code        TEXT NOT NULL DEFAULT '',
    bundle_step      INTEGER NOT NULL DEFAULT 0,
    applicant_id     INTEGER NOT NULL,
    applicant_kind   TEXT NOT NULL,
    applicant_name   TEXT NOT NULL,
    applicant_ident  TEXT NOT NULL,
    submitted_by     INTEGER NOT NULL,
    channel          TEXT NOT NULL,
    status           TEXT NOT NULL,
    form             TEXT NOT NULL DEFAULT '{}',
    legal_days       INTEGER NOT NULL DEFAULT 0,
    promised_days    INTEGER NOT NULL DEFAULT 0,
    current_step     INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    submitted_at     TEXT NOT NULL DEFAULT '',
    accepted_at      TEXT NOT NULL DEFAULT '',
    decided_at       TEXT NOT NULL DEFAULT '',
    start_day        INTEGER NOT NULL DEFAULT 0,
    due_day          INTEGER NOT NULL DEFAULT 0,
    legal_due_day    INTEGER NOT NULL DEFAULT 0,
    paused_days      INTEGER NOT NULL DEFAULT 0,
    pause_kind       TEXT NOT NULL DEFAULT '',
    pause_day        INTEGER NOT NULL DEFAULT 0,
    supplement       TEXT NOT NULL DEFAULT '',
    result_note      TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 0,
    finished_on      TEXT NOT NULL,
    archived_at      TEXT NOT NULL
);
CREATE INDEX cases_archive_applicant ON cases_archive (applicant_id, id);

CREATE TABLE case_events_archive (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL,
    at           TEXT NOT NULL,
    actor_id     INTEGER NOT NULL,
    actor_name   TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    action       TEXT NOT NULL,
    from_status  TEXT NOT NULL DEFAULT '',
    to_status    TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_archive_case ON case_events_archive (case_id, id);

CREATE TABLE tasks_archive (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL,
    dept_code    TEXT NOT NULL,
    step         INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    assignee_id  INTEGER NOT NULL DEFAULT 0,
    requested_by INTEGER NOT NULL DEFAULT 0,
    decided_by   INTEGER NOT NULL DEFAULT 0,
    decided_at   TEXT NOT NULL DEFAULT '',
    opinion      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    due_day      INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_archive_case ON tasks_archive (case_id);

CREATE TABLE case_materials_archive (
    case_id        INTEGER NOT NULL,
    material_code  TEXT NOT NULL,
    name           TEXT NOT NULL,
    required       TEXT NOT NULL,
    license_type   TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT 'none',
    ref            TEXT NOT NULL DEFAULT '',
    sort           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, material_code)
);
CREATE INDEX case_materials_archive_file ON case_materials_archive (ref, case_id) WHERE source = 'file';

-- the archive job's candidates: finished single-item cases in the order they
-- finished, so a batch is a range scan of this index
CREATE INDEX cases_finished ON cases (decided_at)
    WHERE status IN ('approved', 'denied', 'not_accepted', 'withdrawn')
      AND parent_id IS NULL AND kind = 'item' AND decided_at <> '';
