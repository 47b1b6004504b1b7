-- 0008_tasks_queue: the reviewer's queue index ends in the task id, so a page of
-- the queue - keyset (due_day, id) > (last due day, last id) in ORDER BY due_day,
-- id - is one range scan of the index in the queue's own order: no filter on the
-- rows before the cursor and no sort (src/cases/queue.c).  It replaces the index
-- of 0006, whose order stopped at due_day.  The task columns the page shows ride
-- along (INCLUDE), so the scan reads no task rows once their pages are all-visible
-- (an index-only scan; only the cases are looked up).
-- Never edit: add a new number.
DROP INDEX tasks_queue;
CREATE INDEX tasks_queue ON tasks (dept_code, status, due_day, id) INCLUDE (case_id, kind, step);
