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
    n             INTEGER NOT NULL,
    PRIMARY KEY (dept_code, due_day, promised_days, paused)
) WITHOUT ROWID;

INSERT INTO task_counts (dept_code, due_day, promised_days, paused, n)
SELECT t.dept_code, t.due_day, x.promised_days, x.pause_kind <> '', COUNT(*)
FROM tasks t JOIN cases x ON x.id = t.case_id
WHERE t.status = 'pending'
GROUP BY 1, 2, 3, 4;

-- a pending task leaves its group (decided, cancelled, moved to another day)
CREATE TRIGGER task_counts_leave AFTER UPDATE OF status, due_day, dept_code, case_id ON tasks
WHEN OLD.status = 'pending'
BEGIN
    UPDATE task_counts SET n = n - 1
     WHERE dept_code = OLD.dept_code AND due_day = OLD.due_day
       AND (promised_days, paused) = (SELECT promised_days, pause_kind <> '' FROM cases WHERE id = OLD.case_id);
    DELETE FROM task_counts
     WHERE dept_code = OLD.dept_code AND due_day = OLD.due_day AND n = 0
       AND (promised_days, paused) = (SELECT promised_days, pause_kind <> '' FROM cases WHERE id = OLD.case_id);
END;

-- a task joins a group (created pending, or still pending on another day)
CREATE TRIGGER task_counts_join AFTER UPDATE OF status, due_day, dept_code, case_id ON tasks
WHEN NEW.status = 'pending'
BEGIN
    INSERT INTO task_counts (dept_code, due_day, promised_days, paused, n)
    SELECT NEW.dept_code, NEW.due_day, promised_days, pause_kind <> '', 1 FROM cases WHERE id = NEW.case_id
    ON CONFLICT (dept_code, due_day, promised_days, paused) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER task_counts_ins AFTER INSERT ON tasks
WHEN NEW.status = 'pending'
BEGIN
    INSERT INTO task_counts (dept_code, due_day, promised_days, paused, n)
    SELECT NEW.dept_code, NEW.due_day, promised_days, pause_kind <> '', 1 FROM cases WHERE id = NEW.case_id
    ON CONFLICT (dept_code, due_day, promised_days, paused) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER task_counts_del AFTER DELETE ON tasks
WHEN OLD.status = 'pending'
BEGIN
    UPDATE task_counts SET n = n - 1
     WHERE dept_code = OLD.dept_code AND due_day = OLD.due_day
       AND (promised_days, paused) = (SELECT promised_days, pause_kind <> '' FROM cases WHERE id = OLD.case_id);
    DELETE FROM task_counts
     WHERE dept_code = OLD.dept_code AND due_day = OLD.due_day AND n = 0
       AND (promised_days, paused) = (SELECT promised_days, pause_kind <> '' FROM cases WHERE id = OLD.case_id);
END;

-- A case paused or resumed (or its promised days changed) moves its pending
-- tasks between groups.
CREATE TRIGGER task_counts_case AFTER UPDATE OF pause_kind, promised_days ON cases
WHEN (OLD.pause_kind <> '') <> (NEW.pause_kind <> '') OR OLD.promised_days <> NEW.promised_days
BEGIN
    UPDATE task_counts
       SET n = n - (SELECT COUNT(*) FROM tasks t
                     WHERE t.case_id = NEW.id AND t.status = 'pending'
                       AND t.dept_code = task_counts.dept_code AND t.due_day = task_counts.due_day)
     WHERE promised_days = OLD.promised_days AND paused = (OLD.pause_kind <> '')
       AND (dept_code, due_day) IN (SELECT dept_code, due_day FROM tasks
                                     WHERE case_id = NEW.id AND status = 'pending');
    DELETE FROM task_counts
     WHERE promised_days = OLD.promised_days AND paused = (OLD.pause_kind <> '') AND n = 0
       AND (dept_code, due_day) IN (SELECT dept_code, due_day FROM tasks
                                     WHERE case_id = NEW.id AND status = 'pending');
    INSERT INTO task_counts (dept_code, due_day, promised_days, paused, n)
    SELECT dept_code, due_day, NEW.promised_days, NEW.pause_kind <> '', COUNT(*) FROM tasks
     WHERE case_id = NEW.id AND status = 'pending'
     GROUP BY dept_code, due_day
    ON CONFLICT (dept_code, due_day, promised_days, paused) DO UPDATE SET n = n + excluded.n;
END;
