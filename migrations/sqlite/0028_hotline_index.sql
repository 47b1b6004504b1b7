-- 0028_hotline_index: what makes placing a point in its unit grid and the
-- Open311 request list fast (issue 12; src/hotline/grid.c, gridindex.c,
-- open311.c).  Never edit: add a new number.

-- The grids' stamp: a random number every write to hotline_grids sets in the
-- same transaction (yw_hotline__grid_put).  A node keeps the grids in memory
-- as a spatial index built at this stamp and builds it again when the stamp
-- it reads differs.
CREATE TABLE hotline_grid_stamp (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    stamp  INTEGER NOT NULL
);
INSERT INTO hotline_grid_stamp (id, stamp) VALUES (1, 1);

-- Open311 GET requests: the public orders (street matters, HL-1xx, and what
-- came in through Open311), newest first by requested_datetime, paged by
-- (created_at, id).  One index per filter the standard names: none (and
-- start_date/end_date), status (open/closed), service_code.  The WHERE and
-- the status expression are written exactly as open311.c's queries write
-- them, so that both engines use these partial indexes.
CREATE INDEX hotline_orders_o311 ON hotline_orders (created_at, id)
    WHERE (substr(category, 1, 4) = 'HL-1' OR channel = 'open311');
CREATE INDEX hotline_orders_o311_state ON hotline_orders
    ((CASE WHEN status IN ('closed', 'visited', 'rated') THEN 1 ELSE 0 END), created_at, id)
    WHERE (substr(category, 1, 4) = 'HL-1' OR channel = 'open311');
CREATE INDEX hotline_orders_o311_code ON hotline_orders (category, created_at, id)
    WHERE (substr(category, 1, 4) = 'HL-1' OR channel = 'open311');
