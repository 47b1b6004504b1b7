-- 0003_catalog: departments, e-license types, service items (versioned), bundles,
-- and Chinese search (src/catalog/).  Never edit: add a new number.
CREATE TABLE departments (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    name_en  TEXT NOT NULL DEFAULT '',
    short    TEXT NOT NULL DEFAULT '',
    phone    TEXT NOT NULL DEFAULT '',
    address  TEXT NOT NULL DEFAULT '',
    sort     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE license_types (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    dept_code       TEXT NOT NULL REFERENCES departments (code),
    holder          TEXT NOT NULL CHECK (holder IN ('person', 'enterprise')),
    validity_years  INTEGER NOT NULL DEFAULT 0,
    fields          TEXT NOT NULL DEFAULT '[]'
);

-- One row per version of an item; cases keep the id of the version they were
-- filed under, so editing an item never changes an existing case.
CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    is_current      INTEGER NOT NULL DEFAULT 1,
    name            TEXT NOT NULL,
    dept_code       TEXT NOT NULL REFERENCES departments (code),
    type            TEXT NOT NULL,
    target          TEXT NOT NULL CHECK (target IN ('person', 'enterprise')),
    legal_days      INTEGER NOT NULL DEFAULT 0,
    promised_days   INTEGER NOT NULL DEFAULT 0,
    online_level    INTEGER NOT NULL DEFAULT 1,
    max_visits      INTEGER NOT NULL DEFAULT 1,
    realname_level  INTEGER NOT NULL DEFAULT 1,
    produces        TEXT NOT NULL DEFAULT '',
    popularity      INTEGER NOT NULL DEFAULT 0,
    doc             TEXT NOT NULL,           -- the whole item as JSON (guide, form, materials, steps, FAQ)
    search_text     TEXT NOT NULL,           -- name + guide + materials, for search
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL DEFAULT 'seed',
    UNIQUE (code, version)
);
CREATE INDEX items_current ON items (is_current, dept_code, popularity);
CREATE INDEX items_code ON items (code, is_current);

CREATE TABLE item_materials (
    item_id       INTEGER NOT NULL REFERENCES items (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    required      TEXT NOT NULL CHECK (required IN ('required', 'conditional')),
    license_type  TEXT NOT NULL DEFAULT '',
    sort          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, code)
);
CREATE INDEX item_materials_license ON item_materials (license_type);

CREATE TABLE bundles (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    target         TEXT NOT NULL,
    promised_days  INTEGER NOT NULL DEFAULT 0,
    doc            TEXT NOT NULL
);

CREATE TABLE bundle_items (
    bundle_code  TEXT NOT NULL REFERENCES bundles (code),
    item_code    TEXT NOT NULL,
    step         INTEGER NOT NULL,
    sort         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bundle_code, item_code)
);

-- Bumped by every catalog change; nodes refresh their in-memory snapshot when it moves.
CREATE TABLE catalog_meta (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO catalog_meta (id, version) VALUES (1, 0);

-- Chinese search: FTS5 trigram index over search_text (queries of 3+ characters);
-- shorter queries (许可, 社保) use LIKE over the table (src/catalog/search.c).
CREATE VIRTUAL TABLE items_fts USING fts5 (search_text, content = 'items', content_rowid = 'id',
                                          tokenize = 'trigram');
CREATE TRIGGER items_fts_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER items_fts_au AFTER UPDATE OF search_text ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO items_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
