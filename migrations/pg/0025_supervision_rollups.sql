-- 0025_supervision_rollups: what a year's dashboard reads instead of the
-- per-department and per-item daily rollups of 0015 (issue 10), the visits
-- per case ("at most one trip"), and the person behind a task and a card.
-- All kept from the events in the publisher's transaction (src/supervision/
-- feed.c, stats.c); the rows already in 0015's rollups are carried over.
-- Never edit: add a new number.

-- The district's totals per day and metric: the totals and the days of a
-- dashboard (a year: 365 days x ~25 metrics, not days x departments).
CREATE TABLE sup_stats_day (
    day    BIGINT NOT NULL,
    metric TEXT NOT NULL,
    n      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, metric)
);
INSERT INTO sup_stats_day (day, metric, n)
    SELECT day, metric, SUM(n) FROM sup_stats_dept GROUP BY day, metric;

-- The daily rollups read by covering indexes (the count included): the days
-- at the ends of a period per department (all of them, or one department's
-- days), and per item for the top items (replacing (metric, day), which made
-- every row a look-up in the table).
CREATE INDEX sup_stats_dept_cover ON sup_stats_dept (day, dept, metric, n);
CREATE INDEX sup_stats_dept_by_dept ON sup_stats_dept (dept, day, metric, n);
CREATE INDEX sup_stats_daily_cover ON sup_stats_daily (metric, day, dept, code, n);
DROP INDEX sup_stats_daily_metric;

-- Per department and per item by calendar month (month = YYYYMM): the whole
-- months of a period come from here, its partial months at either end from
-- the daily rollups.
CREATE TABLE sup_stats_dept_month (
    month  INTEGER NOT NULL,
    dept   TEXT NOT NULL,
    metric TEXT NOT NULL,
    n      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, dept, metric)
);
INSERT INTO sup_stats_dept_month (month, dept, metric, n)
    SELECT CAST(to_char(DATE '1970-01-01' + CAST(day AS INTEGER), 'YYYYMM') AS INTEGER), dept, metric, SUM(n)
    FROM sup_stats_dept GROUP BY 1, dept, metric;
CREATE TABLE sup_stats_item_month (
    month  INTEGER NOT NULL,
    metric TEXT NOT NULL,
    dept   TEXT NOT NULL,
    code   TEXT NOT NULL,
    n      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (metric, month, dept, code)
);
INSERT INTO sup_stats_item_month (month, metric, dept, code, n)
    SELECT CAST(to_char(DATE '1970-01-01' + CAST(day AS INTEGER), 'YYYYMM') AS INTEGER), metric, dept, code, SUM(n)
    FROM sup_stats_daily GROUP BY 1, metric, dept, code;

-- Bumped in every transaction that adds to a rollup: a node's cache of
-- dashboard answers (stats.c) is good while this has not moved.
CREATE TABLE sup_stats_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  BIGINT NOT NULL
);
INSERT INTO sup_stats_version (id, v) VALUES (1, 1);

-- Visits per case (visit.finished from the hall's queue): how many times the
-- applicant came to a window for this case.  The day a case's second visit
-- is counted as cases_revisited in the rollups.
CREATE TABLE sup_case_visits (
    case_no    TEXT PRIMARY KEY,
    dept       TEXT NOT NULL,
    code       TEXT NOT NULL,
    visits     BIGINT NOT NULL DEFAULT 0,
    first_day  BIGINT NOT NULL,
    last_day   BIGINT NOT NULL
);
-- The cases that took more than one trip, by the day of their latest visit
-- (the dashboard's list of them).
CREATE INDEX sup_case_visits_revisited ON sup_case_visits (last_day) WHERE visits > 1;

-- Per person and day: tasks decided (and of them late) by the reviewer who
-- decided, cases accepted by the clerk who accepted.
CREATE TABLE sup_person_daily (
    day        BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    metric     TEXT NOT NULL,
    dept       TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    n          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, account_id, metric, dept)
);

-- The person who put a task in its department's queue (the clerk who
-- accepted the case, the reviewer who asked an opinion or re-routed, the
-- chief who reassigned), carried by task.opened, and onto its cards.
ALTER TABLE sup_deadlines ADD COLUMN opened_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sup_deadlines ADD COLUMN opened_by_name TEXT NOT NULL DEFAULT '';
ALTER TABLE sup_cards ADD COLUMN opened_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sup_cards ADD COLUMN opened_by_name TEXT NOT NULL DEFAULT '';
