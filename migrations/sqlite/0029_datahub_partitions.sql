-- 0029_datahub_partitions: the PostgreSQL side of this number partitions
-- dh_records (hash by subject) and dh_ledger (range by month) for the
-- reform's 250,000,000 records.  SQLite has no partitioning and serves one
-- node: its tables stay whole, read through the same (resource_id, subject)
-- and (subject, id) B-trees, which is what a partition holds on PostgreSQL
-- (docs/ARCHITECTURE.md, "Layout at scale").  Both engines gain the service
-- item a prefill read was for (item_code).  Never edit: add a new number.
ALTER TABLE dh_ledger ADD COLUMN item_code TEXT NOT NULL DEFAULT '';
