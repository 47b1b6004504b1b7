-- 0015_supervision: efficiency supervision, credit and statistics
-- (src/supervision/), all fed by events (core/events.h): the open deadline of
-- every pending task with its due-time index, the yellow and red cards with
-- their history, credit records and the rules of joint punishment and reward
-- with every check made on a case, and daily rollups for the dashboard.  No
-- foreign key to another module's table: supervision learns of them only
-- through events.  Never edit: add a new number.

-- One row per pending task, from task.opened to task.closed.  next_day is the
-- day the sweep acts next (the yellow day, then the red day; 2^40 when none):
-- the sweep reads only the rows due by today through sup_deadlines_due.
CREATE TABLE sup_deadlines (
    task_id     INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL,
    parent_id   INTEGER NOT NULL DEFAULT 0,
    case_no     TEXT NOT NULL,
    code        TEXT NOT NULL,
    title       TEXT NOT NULL,
    dept        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    assignee_id INTEGER NOT NULL DEFAULT 0,
    start_day   INTEGER NOT NULL,
    due_day     INTEGER NOT NULL,
    limit_days  INTEGER NOT NULL,
    stage       TEXT NOT NULL DEFAULT 'green' CHECK (stage IN ('green', 'yellow', 'red')),
    next_day    INTEGER NOT NULL,
    paused      INTEGER NOT NULL DEFAULT 0,
    opened_at   TEXT NOT NULL
);
CREATE INDEX sup_deadlines_due ON sup_deadlines (paused, next_day);
CREATE INDEX sup_deadlines_case ON sup_deadlines (case_id);
CREATE INDEX sup_deadlines_parent ON sup_deadlines (parent_id);
CREATE INDEX sup_deadlines_dept ON sup_deadlines (dept, due_day);

-- Yellow (预警) and red (超期) cards: one per task and level.
CREATE TABLE sup_cards (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER NOT NULL,
    case_id       INTEGER NOT NULL,
    case_no       TEXT NOT NULL,
    code          TEXT NOT NULL,
    title         TEXT NOT NULL,
    dept          TEXT NOT NULL,
    assignee_id   INTEGER NOT NULL DEFAULT 0,
    level         TEXT NOT NULL CHECK (level IN ('yellow', 'red')),
    status        TEXT NOT NULL CHECK (status IN ('open', 'answered', 'escalated', 'closed')),
    resolution    TEXT NOT NULL DEFAULT '',   -- accepted, task_done, superseded
    due_day       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    answer        TEXT NOT NULL DEFAULT '',
    answered_by   INTEGER NOT NULL DEFAULT 0,
    answered_at   TEXT NOT NULL DEFAULT '',
    decided_by    INTEGER NOT NULL DEFAULT 0,
    decided_at    TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT '',
    task_closed   INTEGER NOT NULL DEFAULT 0,
    escalations   INTEGER NOT NULL DEFAULT 0,
    closed_at     TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (task_id, level)
);
CREATE INDEX sup_cards_status ON sup_cards (status, id);
CREATE INDEX sup_cards_dept ON sup_cards (dept, status, id);

-- What happened to a card, in order (created, answered, accepted, escalated, closed).
CREATE TABLE sup_card_log (
    id         INTEGER PRIMARY KEY,
    card_id    INTEGER NOT NULL REFERENCES sup_cards (id),
    at         TEXT NOT NULL,
    actor_id   INTEGER NOT NULL DEFAULT 0,
    actor_name TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sup_card_log_card ON sup_card_log (card_id, id);

-- Credit records (信用记录) of persons and companies.
CREATE TABLE sup_credit_records (
    id            INTEGER PRIMARY KEY,
    subject_ident TEXT NOT NULL,               -- ID number or credit code
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('person', 'enterprise')),
    subject_name  TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('dishonest', 'honest')),
    category      TEXT NOT NULL,
    dept          TEXT NOT NULL,
    basis         TEXT NOT NULL,
    measures      TEXT NOT NULL DEFAULT '',
    valid_from    TEXT NOT NULL,               -- YYYY-MM-DD
    valid_to      TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD, '' = open-ended
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'repaired')),
    repair_request TEXT NOT NULL DEFAULT '',   -- the subject's application for repair (信用修复)
    repair_requested_at TEXT NOT NULL DEFAULT '',
    repair_note   TEXT NOT NULL DEFAULT '',
    repaired_at   TEXT NOT NULL DEFAULT '',
    created_by    INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);
CREATE INDEX sup_credit_records_subject ON sup_credit_records (subject_ident, status);

-- Joint punishment and reward (联合奖惩): a kind of record (and category, ''
-- for any) linked to an item or a department with a measure; a fast-track
-- (容缺受理) rule names the item and the material that may be handed in later.
CREATE TABLE sup_credit_rules (
    id          INTEGER PRIMARY KEY,
    record_kind TEXT NOT NULL CHECK (record_kind IN ('dishonest', 'honest')),
    category    TEXT NOT NULL DEFAULT '',
    target_kind TEXT NOT NULL CHECK (target_kind IN ('item', 'dept')),
    target      TEXT NOT NULL,
    measure     TEXT NOT NULL CHECK (measure IN ('block', 'flag', 'fast_track')),
    material    TEXT NOT NULL DEFAULT '',      -- fast_track: the material that may come later
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE INDEX sup_credit_rules_target ON sup_credit_rules (target_kind, target);

-- Every credit check made on a case and its result (the feedback the
-- national system asks for on every measure applied).
CREATE TABLE sup_credit_checks (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL,
    case_no       TEXT NOT NULL,
    stage         TEXT NOT NULL,               -- submitted, accepted
    subject_ident TEXT NOT NULL,
    result        TEXT NOT NULL,               -- pass, flag, fast_track (a block rolls back)
    detail        TEXT NOT NULL,               -- JSON array of {rule, record, measure}
    at            TEXT NOT NULL
);
CREATE INDEX sup_credit_checks_case ON sup_credit_checks (case_no, id);

-- Daily rollups per department and item, kept from the events: a dashboard
-- request sums these and never reads a case.
CREATE TABLE sup_stats_daily (
    day    INTEGER NOT NULL,
    dept   TEXT NOT NULL,
    code   TEXT NOT NULL,
    metric TEXT NOT NULL,
    n      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, dept, code, metric)
);
CREATE INDEX sup_stats_daily_metric ON sup_stats_daily (metric, day);

-- The same per department only (no item): what the totals, the departments
-- and the days of a dashboard sum, about 1/15 of the rows of the per-item
-- rollup at district scale, so a year's figures read ~130,000 rows, not ~1M.
CREATE TABLE sup_stats_dept (
    day    INTEGER NOT NULL,
    dept   TEXT NOT NULL,
    metric TEXT NOT NULL,
    n      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, dept, metric)
);
