-- 0033_cases_task_counts: running counts of the pending review tasks (issue 19).
-- GET /api/v1/tasks/stats used to group every pending task with its case; it
-- now reads these groups, one row per department, due day, promised days and
-- pause, so its cost is bounded by departments x open due days, not by the
-- number of tasks.  The light of a group still depends on today and is worked
-- out when it is read (cases/stats.c).  Triggers keep the counts in the same
-- transaction as the change, whatever path changes a task or a case's pause
-- (the review, a hold, `ywtb seed --scale`); a group that reaches zero is
-- deleted, so the table holds only open groups.
-- Never edit: add a new number.
CREATE TABLE task_counts (
    dept_code     TEXT NOT NULL,
    due_day       INTEGER NOT NULL,
    promised_days INTEGER NOT NULL,
    paused        INTEGER NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (dept_code, due_day, promised_days, paused)
);

INSERT INTO task_counts (dept_code, due_day, promised_days, paused, n)
SELECT t.dept_code, t.due_day, x.promised_days, CASE WHEN x.pause_kind = '' THEN 0 ELSE 1 END, COUNT(*)
FROM tasks t JOIN cases x ON x.id = t.case_id
WHERE t.status = 'pending'
GROUP BY 1, 2, 3, 4;

CREATE FUNCTION task_counts_add(p_dept TEXT, p_due INTEGER, p_case BIGINT, p_n BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_promised INTEGER;
    v_paused   INTEGER;
BEGIN
    SELECT promised_days, CASE WHEN pause_kind = '' THEN 0 ELSE 1 END
      INTO v_promised, v_paused FROM cases WHERE id = p_case;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO task_counts (dept_code, due_day, promised_days, paused, n)
    VALUES (p_dept, p_due, v_promised, v_paused, p_n)
    ON CONFLICT (dept_code, due_day, promised_days, paused) DO UPDATE SET n = task_counts.n + EXCLUDED.n;
    DELETE FROM task_counts
     WHERE dept_code = p_dept AND due_day = p_due AND promised_days = v_promised
       AND paused = v_paused AND n = 0;
END $$;

CREATE FUNCTION task_counts_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'pending' THEN
        PERFORM task_counts_add(OLD.dept_code, OLD.due_day, OLD.case_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'pending' THEN
        PERFORM task_counts_add(NEW.dept_code, NEW.due_day, NEW.case_id, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER task_counts_ins AFTER INSERT ON tasks
    FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION task_counts_tasks();
CREATE TRIGGER task_counts_upd AFTER UPDATE OF status, due_day, dept_code, case_id ON tasks
    FOR EACH ROW WHEN ((OLD.status = 'pending' OR NEW.status = 'pending')
                       AND (OLD.status, OLD.due_day, OLD.dept_code, OLD.case_id)
                           IS DISTINCT FROM (NEW.status, NEW.due_day, NEW.dept_code, NEW.case_id))
    EXECUTE FUNCTION task_counts_tasks();
CREATE TRIGGER task_counts_del AFTER DELETE ON tasks
    FOR EACH ROW WHEN (OLD.status = 'pending') EXECUTE FUNCTION task_counts_tasks();

-- A case paused or resumed (or its promised days changed) moves its pending
-- tasks between groups.
CREATE FUNCTION task_counts_cases() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
    v_old INTEGER := CASE WHEN OLD.pause_kind = '' THEN 0 ELSE 1 END;
    v_new INTEGER := CASE WHEN NEW.pause_kind = '' THEN 0 ELSE 1 END;
BEGIN
    IF v_old = v_new AND OLD.promised_days = NEW.promised_days THEN
        RETURN NULL;
    END IF;
    FOR r IN SELECT dept_code, due_day, COUNT(*) AS n FROM tasks
              WHERE case_id = NEW.id AND status = 'pending' GROUP BY dept_code, due_day LOOP
        UPDATE task_counts SET n = n - r.n
         WHERE dept_code = r.dept_code AND due_day = r.due_day
           AND promised_days = OLD.promised_days AND paused = v_old;
        DELETE FROM task_counts
         WHERE dept_code = r.dept_code AND due_day = r.due_day
           AND promised_days = OLD.promised_days AND paused = v_old AND n = 0;
        INSERT INTO task_counts (dept_code, due_day, promised_days, paused, n)
        VALUES (r.dept_code, r.due_day, NEW.promised_days, v_new, r.n)
        ON CONFLICT (dept_code, due_day, promised_days, paused) DO UPDATE SET n = task_counts.n + EXCLUDED.n;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER task_counts_case AFTER UPDATE OF pause_kind, promised_days ON cases
    FOR EACH ROW EXECUTE FUNCTION task_counts_cases();
