-- 0017_hotline: 12345 hotline work orders (工单) and the steps of their loop
-- (src/hotline/).  Never edit: add a new number.
CREATE TABLE hotline_orders (
    id                INTEGER PRIMARY KEY,
    order_no          TEXT UNIQUE,                 -- HL + YYYYMMDD + id
    channel           TEXT NOT NULL CHECK (channel IN ('phone', 'web', 'open311')),
    category          TEXT NOT NULL,               -- service code (src/hotline/types.c)
    type              TEXT NOT NULL,               -- consult, suggestion, help, complaint, supervision, complex
    urgency           TEXT NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
    status            TEXT NOT NULL,
    content           TEXT NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    lat               TEXT NOT NULL DEFAULT '',    -- WGS84 degrees as text, '' when not given
    lng               TEXT NOT NULL DEFAULT '',
    media_url         TEXT NOT NULL DEFAULT '',
    caller_name       TEXT NOT NULL DEFAULT '',
    caller_phone      TEXT NOT NULL DEFAULT '',
    caller_account_id INTEGER NOT NULL DEFAULT 0,  -- 0: anonymous or by phone
    caller_ident      TEXT NOT NULL DEFAULT '',
    intake_by         INTEGER NOT NULL DEFAULT 0,  -- the operator's account, 0 online
    client            TEXT NOT NULL DEFAULT '',    -- the Open311 client's name
    dept              TEXT NOT NULL DEFAULT '',    -- the department it is dispatched to
    limit_days        INTEGER NOT NULL,
    start_day         INTEGER NOT NULL,            -- day numbers (core/calendar.h)
    due_day           INTEGER NOT NULL,
    dispatched_day    INTEGER NOT NULL DEFAULT 0,
    answered_day      INTEGER NOT NULL DEFAULT 0,
    returns           INTEGER NOT NULL DEFAULT 0,
    extensions        INTEGER NOT NULL DEFAULT 0,
    ext_days          INTEGER NOT NULL DEFAULT 0,  -- a pending extension request
    ext_reason        TEXT NOT NULL DEFAULT '',
    presses           INTEGER NOT NULL DEFAULT 0,  -- 督办 count
    answer            TEXT NOT NULL DEFAULT '',
    visit_note        TEXT NOT NULL DEFAULT '',
    rating            INTEGER NOT NULL DEFAULT 0,  -- 1..5 once rated
    rating_comment    TEXT NOT NULL DEFAULT '',
    merged_into       TEXT NOT NULL DEFAULT '',    -- the order that answers this one (合并)
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    closed_at         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_orders_status ON hotline_orders (status, id);
CREATE INDEX hotline_orders_dept ON hotline_orders (dept, id);
CREATE INDEX hotline_orders_caller ON hotline_orders (caller_account_id, id);
CREATE INDEX hotline_orders_updated ON hotline_orders (updated_at, id);
CREATE INDEX hotline_orders_similar ON hotline_orders (category, created_at);
CREATE INDEX hotline_orders_merged ON hotline_orders (merged_into) WHERE merged_into <> '';

-- The knowledge base of answers (知识库, GB/T 44191): what operators read out
-- to answer general questions on the call.
CREATE TABLE hotline_knowledge (
    id          INTEGER PRIMARY KEY,
    category    TEXT NOT NULL,
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    author      TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);
CREATE INDEX hotline_knowledge_category ON hotline_knowledge (category, id);

CREATE TABLE hotline_steps (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES hotline_orders (id),
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,                     -- intake, dispatch, sign, return, ...
    actor_name  TEXT NOT NULL DEFAULT '',
    dept        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,                     -- the order's status after the step
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_steps_order ON hotline_steps (order_id, id);

-- Urban grid management (网格化管理, GB/T 30428): unit grids with their
-- polygons, and the events and components found in them.
CREATE TABLE hotline_grids (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,              -- 310104 + street + community + sequence
    street      TEXT NOT NULL,
    community   TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    geometry    TEXT NOT NULL,                     -- GeoJSON Polygon coordinates ([[[lng, lat], ...]])
    min_lat     INTEGER NOT NULL,                  -- bounding box in microdegrees
    max_lat     INTEGER NOT NULL,
    min_lng     INTEGER NOT NULL,
    max_lng     INTEGER NOT NULL
);
CREATE INDEX hotline_grids_bbox ON hotline_grids (min_lat, max_lat, min_lng, max_lng);

CREATE TABLE hotline_events (
    id            INTEGER PRIMARY KEY,
    event_no      TEXT UNIQUE,                     -- GE + YYYYMMDD + id
    kind          TEXT NOT NULL CHECK (kind IN ('component', 'event')),
    major         TEXT NOT NULL,                   -- GB/T 30428.2 major category
    minor         TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL,
    lat           TEXT NOT NULL,
    lng           TEXT NOT NULL,
    grid_code     TEXT NOT NULL DEFAULT '',        -- '' when the point is in no grid
    status        TEXT NOT NULL,
    reporter_id   INTEGER NOT NULL DEFAULT 0,
    reporter_name TEXT NOT NULL DEFAULT '',
    photo_before  TEXT NOT NULL DEFAULT '',        -- upload ids (src/files)
    photo_after   TEXT NOT NULL DEFAULT '',
    dept          TEXT NOT NULL DEFAULT '',
    order_no      TEXT NOT NULL DEFAULT '',        -- the 12345 order it came from, if any
    note          TEXT NOT NULL DEFAULT '',        -- the last reason or report
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    closed_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_events_status ON hotline_events (status, id);
CREATE INDEX hotline_events_grid ON hotline_events (grid_code, status);

CREATE TABLE hotline_event_steps (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES hotline_events (id),
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    actor_name  TEXT NOT NULL DEFAULT '',
    dept        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_event_steps_event ON hotline_event_steps (event_id, id);
