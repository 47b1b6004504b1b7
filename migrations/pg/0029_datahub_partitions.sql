-- 0029_datahub_partitions: the data hub at the reform's scale on PostgreSQL
-- (250,000,000 records, every read ledgered).  dh_records becomes a table
-- hash-partitioned by subject in 32 partitions: a subject read and a
-- person's file name the subject, so each touches one partition and its
-- B-trees.  dh_ledger becomes range-partitioned by month on `at`: it grows
-- with reads, a subject's ledger reads the newest months first, and an old
-- month can be detached or moved without rewriting the rest; months up to
-- 2028-12 are here, the hub adds the current and the next month at start-up
-- (datahub/partitions.c) and a DEFAULT partition keeps any other date.  The
-- ledger also records the service item a prefill read was for (item_code).
-- Rows, ids and their sequences are kept.  Never edit: add a new number.

-- ---- dh_records: HASH (subject) ----
ALTER TABLE dh_records RENAME TO dh_records_0014;
ALTER INDEX dh_records_subject RENAME TO dh_records_0014_subject;
ALTER TABLE dh_records_0014 RENAME CONSTRAINT dh_records_pkey TO dh_records_0014_pkey;
ALTER TABLE dh_records_0014 RENAME CONSTRAINT dh_records_resource_id_subject_record_key_key
    TO dh_records_0014_key;
ALTER SEQUENCE dh_records_id_seq OWNED BY NONE;

CREATE TABLE dh_records (
    id          BIGINT NOT NULL DEFAULT nextval('dh_records_id_seq'),
    resource_id BIGINT NOT NULL,
    subject     TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    data        TEXT NOT NULL,
    batch_id    BIGINT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (subject, id),
    UNIQUE (resource_id, subject, record_key)
) PARTITION BY HASH (subject);
CREATE TABLE dh_records_h00 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 0);
CREATE TABLE dh_records_h01 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 1);
CREATE TABLE dh_records_h02 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 2);
CREATE TABLE dh_records_h03 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 3);
CREATE TABLE dh_records_h04 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 4);
CREATE TABLE dh_records_h05 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 5);
CREATE TABLE dh_records_h06 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 6);
CREATE TABLE dh_records_h07 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 7);
CREATE TABLE dh_records_h08 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 8);
CREATE TABLE dh_records_h09 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 9);
CREATE TABLE dh_records_h10 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 10);
CREATE TABLE dh_records_h11 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 11);
CREATE TABLE dh_records_h12 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 12);
CREATE TABLE dh_records_h13 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 13);
CREATE TABLE dh_records_h14 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 14);
CREATE TABLE dh_records_h15 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 15);
CREATE TABLE dh_records_h16 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 16);
CREATE TABLE dh_records_h17 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 17);
CREATE TABLE dh_records_h18 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 18);
CREATE TABLE dh_records_h19 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 19);
CREATE TABLE dh_records_h20 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 20);
CREATE TABLE dh_records_h21 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 21);
CREATE TABLE dh_records_h22 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 22);
CREATE TABLE dh_records_h23 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 23);
CREATE TABLE dh_records_h24 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 24);
CREATE TABLE dh_records_h25 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 25);
CREATE TABLE dh_records_h26 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 26);
CREATE TABLE dh_records_h27 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 27);
CREATE TABLE dh_records_h28 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 28);
CREATE TABLE dh_records_h29 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 29);
CREATE TABLE dh_records_h30 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 30);
CREATE TABLE dh_records_h31 PARTITION OF dh_records FOR VALUES WITH (MODULUS 32, REMAINDER 31);
CREATE INDEX dh_records_subject ON dh_records (subject, resource_id);
INSERT INTO dh_records (id, resource_id, subject, record_key, data, batch_id, updated_at)
    SELECT id, resource_id, subject, record_key, data, batch_id, updated_at FROM dh_records_0014;
DROP TABLE dh_records_0014;
ALTER SEQUENCE dh_records_id_seq OWNED BY dh_records.id;

-- ---- dh_ledger: RANGE (at) by month ----
ALTER TABLE dh_ledger RENAME TO dh_ledger_0014;
ALTER INDEX dh_ledger_subject RENAME TO dh_ledger_0014_subject;
ALTER INDEX dh_ledger_reader RENAME TO dh_ledger_0014_reader;
ALTER TABLE dh_ledger_0014 RENAME CONSTRAINT dh_ledger_pkey TO dh_ledger_0014_pkey;
ALTER SEQUENCE dh_ledger_id_seq OWNED BY NONE;

CREATE TABLE dh_ledger (
    id            BIGINT NOT NULL DEFAULT nextval('dh_ledger_id_seq'),
    subject       TEXT NOT NULL,
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    owner_dept    TEXT NOT NULL,
    reader_kind   TEXT NOT NULL,              -- staff | system | prefill | sso
    reader_dept   TEXT NOT NULL,
    reader        TEXT NOT NULL,
    reader_name   TEXT NOT NULL,
    fields        TEXT NOT NULL,              -- JSON array
    purpose_code  TEXT NOT NULL,
    purpose_text  TEXT NOT NULL DEFAULT '',
    case_no       TEXT NOT NULL DEFAULT '',
    item_code     TEXT NOT NULL DEFAULT '',   -- a prefill read: the service item it was for
    sealed_until  TEXT NOT NULL DEFAULT '',
    seal_basis    TEXT NOT NULL DEFAULT '',
    at            TEXT COLLATE "C" NOT NULL,  -- ISO 8601 UTC: byte order is time order
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE dh_ledger_m202401 PARTITION OF dh_ledger FOR VALUES FROM ('2024-01') TO ('2024-02');
CREATE TABLE dh_ledger_m202402 PARTITION OF dh_ledger FOR VALUES FROM ('2024-02') TO ('2024-03');
CREATE TABLE dh_ledger_m202403 PARTITION OF dh_ledger FOR VALUES FROM ('2024-03') TO ('2024-04');
CREATE TABLE dh_ledger_m202404 PARTITION OF dh_ledger FOR VALUES FROM ('2024-04') TO ('2024-05');
CREATE TABLE dh_ledger_m202405 PARTITION OF dh_ledger FOR VALUES FROM ('2024-05') TO ('2024-06');
CREATE TABLE dh_ledger_m202406 PARTITION OF dh_ledger FOR VALUES FROM ('2024-06') TO ('2024-07');
CREATE TABLE dh_ledger_m202407 PARTITION OF dh_ledger FOR VALUES FROM ('2024-07') TO ('2024-08');
CREATE TABLE dh_ledger_m202408 PARTITION OF dh_ledger FOR VALUES FROM ('2024-08') TO ('2024-09');
CREATE TABLE dh_ledger_m202409 PARTITION OF dh_ledger FOR VALUES FROM ('2024-09') TO ('2024-10');
CREATE TABLE dh_ledger_m202410 PARTITION OF dh_ledger FOR VALUES FROM ('2024-10') TO ('2024-11');
CREATE TABLE dh_ledger_m202411 PARTITION OF dh_ledger FOR VALUES FROM ('2024-11') TO ('2024-12');
CREATE TABLE dh_ledger_m202412 PARTITION OF dh_ledger FOR VALUES FROM ('2024-12') TO ('2025-01');
CREATE TABLE dh_ledger_m202501 PARTITION OF dh_ledger FOR VALUES FROM ('2025-01') TO ('2025-02');
CREATE TABLE dh_ledger_m202502 PARTITION OF dh_ledger FOR VALUES FROM ('2025-02') TO ('2025-03');
CREATE TABLE dh_ledger_m202503 PARTITION OF dh_ledger FOR VALUES FROM ('2025-03') TO ('2025-04');
CREATE TABLE dh_ledger_m202504 PARTITION OF dh_ledger FOR VALUES FROM ('2025-04') TO ('2025-05');
CREATE TABLE dh_ledger_m202505 PARTITION OF dh_ledger FOR VALUES FROM ('2025-05') TO ('2025-06');
CREATE TABLE dh_ledger_m202506 PARTITION OF dh_ledger FOR VALUES FROM ('2025-06') TO ('2025-07');
CREATE TABLE dh_ledger_m202507 PARTITION OF dh_ledger FOR VALUES FROM ('2025-07') TO ('2025-08');
CREATE TABLE dh_ledger_m202508 PARTITION OF dh_ledger FOR VALUES FROM ('2025-08') TO ('2025-09');
CREATE TABLE dh_ledger_m202509 PARTITION OF dh_ledger FOR VALUES FROM ('2025-09') TO ('2025-10');
CREATE TABLE dh_ledger_m202510 PARTITION OF dh_ledger FOR VALUES FROM ('2025-10') TO ('2025-11');
CREATE TABLE dh_ledger_m202511 PARTITION OF dh_ledger FOR VALUES FROM ('2025-11') TO ('2025-12');
CREATE TABLE dh_ledger_m202512 PARTITION OF dh_ledger FOR VALUES FROM ('2025-12') TO ('2026-01');
CREATE TABLE dh_ledger_m202601 PARTITION OF dh_ledger FOR VALUES FROM ('2026-01') TO ('2026-02');
CREATE TABLE dh_ledger_m202602 PARTITION OF dh_ledger FOR VALUES FROM ('2026-02') TO ('2026-03');
CREATE TABLE dh_ledger_m202603 PARTITION OF dh_ledger FOR VALUES FROM ('2026-03') TO ('2026-04');
CREATE TABLE dh_ledger_m202604 PARTITION OF dh_ledger FOR VALUES FROM ('2026-04') TO ('2026-05');
CREATE TABLE dh_ledger_m202605 PARTITION OF dh_ledger FOR VALUES FROM ('2026-05') TO ('2026-06');
CREATE TABLE dh_ledger_m202606 PARTITION OF dh_ledger FOR VALUES FROM ('2026-06') TO ('2026-07');
CREATE TABLE dh_ledger_m202607 PARTITION OF dh_ledger FOR VALUES FROM ('2026-07') TO ('2026-08');
CREATE TABLE dh_ledger_m202608 PARTITION OF dh_ledger FOR VALUES FROM ('2026-08') TO ('2026-09');
CREATE TABLE dh_ledger_m202609 PARTITION OF dh_ledger FOR VALUES FROM ('2026-09') TO ('2026-10');
CREATE TABLE dh_ledger_m202610 PARTITION OF dh_ledger FOR VALUES FROM ('2026-10') TO ('2026-11');
CREATE TABLE dh_ledger_m202611 PARTITION OF dh_ledger FOR VALUES FROM ('2026-11') TO ('2026-12');
CREATE TABLE dh_ledger_m202612 PARTITION OF dh_ledger FOR VALUES FROM ('2026-12') TO ('2027-01');
CREATE TABLE dh_ledger_m202701 PARTITION OF dh_ledger FOR VALUES FROM ('2027-01') TO ('2027-02');
CREATE TABLE dh_ledger_m202702 PARTITION OF dh_ledger FOR VALUES FROM ('2027-02') TO ('2027-03');
CREATE TABLE dh_ledger_m202703 PARTITION OF dh_ledger FOR VALUES FROM ('2027-03') TO ('2027-04');
CREATE TABLE dh_ledger_m202704 PARTITION OF dh_ledger FOR VALUES FROM ('2027-04') TO ('2027-05');
CREATE TABLE dh_ledger_m202705 PARTITION OF dh_ledger FOR VALUES FROM ('2027-05') TO ('2027-06');
CREATE TABLE dh_ledger_m202706 PARTITION OF dh_ledger FOR VALUES FROM ('2027-06') TO ('2027-07');
CREATE TABLE dh_ledger_m202707 PARTITION OF dh_ledger FOR VALUES FROM ('2027-07') TO ('2027-08');
CREATE TABLE dh_ledger_m202708 PARTITION OF dh_ledger FOR VALUES FROM ('2027-08') TO ('2027-09');
CREATE TABLE dh_ledger_m202709 PARTITION OF dh_ledger FOR VALUES FROM ('2027-09') TO ('2027-10');
CREATE TABLE dh_ledger_m202710 PARTITION OF dh_ledger FOR VALUES FROM ('2027-10') TO ('2027-11');
CREATE TABLE dh_ledger_m202711 PARTITION OF dh_ledger FOR VALUES FROM ('2027-11') TO ('2027-12');
CREATE TABLE dh_ledger_m202712 PARTITION OF dh_ledger FOR VALUES FROM ('2027-12') TO ('2028-01');
CREATE TABLE dh_ledger_m202801 PARTITION OF dh_ledger FOR VALUES FROM ('2028-01') TO ('2028-02');
CREATE TABLE dh_ledger_m202802 PARTITION OF dh_ledger FOR VALUES FROM ('2028-02') TO ('2028-03');
CREATE TABLE dh_ledger_m202803 PARTITION OF dh_ledger FOR VALUES FROM ('2028-03') TO ('2028-04');
CREATE TABLE dh_ledger_m202804 PARTITION OF dh_ledger FOR VALUES FROM ('2028-04') TO ('2028-05');
CREATE TABLE dh_ledger_m202805 PARTITION OF dh_ledger FOR VALUES FROM ('2028-05') TO ('2028-06');
CREATE TABLE dh_ledger_m202806 PARTITION OF dh_ledger FOR VALUES FROM ('2028-06') TO ('2028-07');
CREATE TABLE dh_ledger_m202807 PARTITION OF dh_ledger FOR VALUES FROM ('2028-07') TO ('2028-08');
CREATE TABLE dh_ledger_m202808 PARTITION OF dh_ledger FOR VALUES FROM ('2028-08') TO ('2028-09');
CREATE TABLE dh_ledger_m202809 PARTITION OF dh_ledger FOR VALUES FROM ('2028-09') TO ('2028-10');
CREATE TABLE dh_ledger_m202810 PARTITION OF dh_ledger FOR VALUES FROM ('2028-10') TO ('2028-11');
CREATE TABLE dh_ledger_m202811 PARTITION OF dh_ledger FOR VALUES FROM ('2028-11') TO ('2028-12');
CREATE TABLE dh_ledger_m202812 PARTITION OF dh_ledger FOR VALUES FROM ('2028-12') TO ('2029-01');
CREATE TABLE dh_ledger_default PARTITION OF dh_ledger DEFAULT;
CREATE INDEX dh_ledger_subject ON dh_ledger (subject, id);
CREATE INDEX dh_ledger_reader ON dh_ledger (reader_dept, id);
INSERT INTO dh_ledger (id, subject, resource_code, resource_name, owner_dept, reader_kind,
                       reader_dept, reader, reader_name, fields, purpose_code, purpose_text,
                       case_no, sealed_until, seal_basis, at)
    SELECT id, subject, resource_code, resource_name, owner_dept, reader_kind, reader_dept,
           reader, reader_name, fields, purpose_code, purpose_text, case_no, sealed_until,
           seal_basis, at FROM dh_ledger_0014;
DROP TABLE dh_ledger_0014;
ALTER SEQUENCE dh_ledger_id_seq OWNED BY dh_ledger.id;
