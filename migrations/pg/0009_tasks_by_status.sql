-- 0009_tasks_by_status: the chief approval officer's and the supervisors' queue
-- of every department (GET /api/v1/tasks without dept) pages through the tasks of
-- one status in the same (due_day, id) order as a department's queue (0008).
-- Without an index in that order PostgreSQL scanned and sorted every pending
-- task for each page: 265-505 ms at 1,000,000 cases.  The task columns the page
-- shows ride along as in 0008.
-- Never edit: add a new number.
CREATE INDEX tasks_by_status ON tasks (status, due_day, id) INCLUDE (case_id, dept_code, kind, step);
