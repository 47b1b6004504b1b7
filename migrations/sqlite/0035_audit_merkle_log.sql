-- 0035_audit_merkle_log: the audit log becomes many hash chains (one per
-- writing connection of each node, audit_chains) whose records are sealed
-- periodically into one Merkle tree with SM2-signed tree heads (audit_sth),
-- in the manner of Certificate Transparency (RFC 9162); db/audit*.c.
-- The single chain kept so far (audit_head, records 1..n) becomes chain 1,
-- "legacy", closed: its records keep their hashes (format v1) and are the
-- tree's first leaves at the first seal.  audit_head stays, frozen.
-- Never edit: add a new number.
CREATE TABLE audit_chains (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
INSERT INTO audit_chains (name, seq, hash, created_ms)
SELECT 'legacy', seq, hash, 0 FROM audit_head WHERE id = 1;

ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN cseq INTEGER;
ALTER TABLE audit_log ADD COLUMN leaf INTEGER;
UPDATE audit_log SET cseq = seq;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain, cseq);
CREATE UNIQUE INDEX audit_log_leaf ON audit_log (leaf);
CREATE INDEX audit_log_unsealed ON audit_log (seq) WHERE leaf IS NULL;

-- The log's signing keys (SM2; the private key sealed under secret_key as the
-- licenses' keys are).  Retired keys stay: old tree heads keep verifying.
CREATE TABLE audit_keys (
    key_id         TEXT PRIMARY KEY,
    public_pem     TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    created_ms     INTEGER NOT NULL,
    active         INTEGER NOT NULL
);

-- Signed tree heads: the tree of the first tree_size leaves, its root, and
-- the right edge of the tree (frontier: the roots of its perfect subtrees,
-- hex, largest first) from which the next seal continues.
CREATE TABLE audit_sth (
    tree_size    INTEGER PRIMARY KEY,
    timestamp_ms INTEGER NOT NULL,
    root_hash    TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    signature    TEXT NOT NULL,
    frontier     TEXT NOT NULL
);

-- Roots of the tree's perfect subtrees of 16 leaves and more (level = log2 of
-- the leaves, idx = first leaf / 2^level), so a proof reads O(log^2 n) rows.
-- A cache of what the leaves determine: `ywtb verify --audit` recomputes it.
CREATE TABLE audit_nodes (
    level INTEGER NOT NULL,
    idx   INTEGER NOT NULL,
    hash  TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);
