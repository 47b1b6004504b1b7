-- 0038 (issues 10 and 19): events' after-commit subscribers and the credit
-- check's in-memory set.
--
-- outbox_pending: an event (outbox_events.id) whose after-commit subscribers
-- have not run yet (db/events.c).  Written in the publisher's transaction,
-- deleted in the dispatcher's together with the subscribers' effects; a
-- subscriber that failed counts an attempt and keeps the row (last_error),
-- and past 10 attempts it stays for an operator (docs/OPERATIONS.md).
CREATE TABLE outbox_pending (
    event_id   INTEGER PRIMARY KEY,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);

-- sup_credit_version: a new value with every change of the credit records or
-- rules, so that each node's set of subjects with an active record
-- (supervision/creditset.c) knows when to read them again.  A random value,
-- not a count: a rolled-back change must not leave a version that a later
-- change gives again.
CREATE TABLE sup_credit_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  INTEGER NOT NULL
);
INSERT INTO sup_credit_version (id, v) VALUES (1, 1);
CREATE TRIGGER sup_credit_records_v_ins AFTER INSERT ON sup_credit_records
BEGIN UPDATE sup_credit_version SET v = (random() & 9223372036854775807) | 1 WHERE id = 1; END;
CREATE TRIGGER sup_credit_records_v_upd AFTER UPDATE ON sup_credit_records
BEGIN UPDATE sup_credit_version SET v = (random() & 9223372036854775807) | 1 WHERE id = 1; END;
CREATE TRIGGER sup_credit_records_v_del AFTER DELETE ON sup_credit_records
BEGIN UPDATE sup_credit_version SET v = (random() & 9223372036854775807) | 1 WHERE id = 1; END;
CREATE TRIGGER sup_credit_rules_v_ins AFTER INSERT ON sup_credit_rules
BEGIN UPDATE sup_credit_version SET v = (random() & 9223372036854775807) | 1 WHERE id = 1; END;
CREATE TRIGGER sup_credit_rules_v_upd AFTER UPDATE ON sup_credit_rules
BEGIN UPDATE sup_credit_version SET v = (random() & 9223372036854775807) | 1 WHERE id = 1; END;
CREATE TRIGGER sup_credit_rules_v_del AFTER DELETE ON sup_credit_rules
BEGIN UPDATE sup_credit_version SET v = (random() & 9223372036854775807) | 1 WHERE id = 1; END;
