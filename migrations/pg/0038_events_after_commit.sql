-- 0038 (issues 10 and 19): events' after-commit subscribers and the credit
-- check's in-memory set.
--
-- outbox_pending: an event (outbox_events.id) whose after-commit subscribers
-- have not run yet (db/events.c).  Written in the publisher's transaction,
-- deleted in the dispatcher's together with the subscribers' effects; each
-- node locks the rows it takes (FOR UPDATE SKIP LOCKED).  A subscriber that
-- failed counts an attempt and keeps the row (last_error), and past 10
-- attempts it stays for an operator (docs/OPERATIONS.md).
CREATE TABLE outbox_pending (
    event_id   BIGINT PRIMARY KEY,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);

-- sup_credit_version: a new value with every change of the credit records or
-- rules (once per statement), so that each node's set of subjects with an
-- active record (supervision/creditset.c) knows when to read them again.
-- From a sequence, not a count: a rolled-back change must not leave a
-- version that a later change gives again (sequences never go back).
CREATE TABLE sup_credit_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  BIGINT NOT NULL
);
CREATE SEQUENCE sup_credit_version_seq;
INSERT INTO sup_credit_version (id, v) VALUES (1, nextval('sup_credit_version_seq'));
CREATE FUNCTION sup_credit_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sup_credit_version SET v = nextval('sup_credit_version_seq') WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER sup_credit_records_v AFTER INSERT OR UPDATE OR DELETE ON sup_credit_records
    FOR EACH STATEMENT EXECUTE FUNCTION sup_credit_version_bump();
CREATE TRIGGER sup_credit_rules_v AFTER INSERT OR UPDATE OR DELETE ON sup_credit_rules
    FOR EACH STATEMENT EXECUTE FUNCTION sup_credit_version_bump();
