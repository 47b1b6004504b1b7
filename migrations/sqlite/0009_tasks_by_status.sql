-- 0009_tasks_by_status: the chief approval officer's and the supervisors' queue
-- of every department (GET /api/v1/tasks without dept) pages through the tasks of
-- one status in the same (due_day, id) order as a department's queue (0008), so
-- a page is a range scan of this index instead of a scan and sort of every
-- pending task.
-- Never edit: add a new number.
CREATE INDEX tasks_by_status ON tasks (status, due_day, id);
