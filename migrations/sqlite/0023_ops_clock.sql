-- 0023_ops_clock: the test clock (`serve --clock`, POST /api/v1/test/clock)
-- shared by the nodes of one test deployment (issue 21 item 7: kept per
-- process, moving it on one node left the others behind, so the API suite
-- could not run across nodes).  One row: the clock's distance from the system
-- clock in milliseconds.  Only a node started with --clock reads or writes it;
-- a production database keeps it empty.
-- Never edit: add a new number.
CREATE TABLE test_clock (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    offset_ms BIGINT NOT NULL
);
