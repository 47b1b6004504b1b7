-- 0035_audit_merkle_log: the audit log becomes many hash chains (one per
-- writing connection of each node, audit_chains) whose records are sealed
-- periodically into one Merkle tree with SM2-signed tree heads (audit_sth),
-- in the manner of Certificate Transparency (RFC 9162); db/audit*.c.
-- The single chain kept so far (audit_head, records 1..n) becomes chain 1,
-- "legacy", closed: its records keep their hashes (format v1) and are the
-- tree's first leaves at the first seal.  audit_head stays, frozen.
-- Never edit: add a new number.
CREATE TABLE audit_chains (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    seq        BIGINT NOT NULL,
    hash       TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
INSERT INTO audit_chains (name, seq, hash, created_ms)
SELECT 'legacy', seq, hash, 0 FROM audit_head WHERE id = 1;

ALTER TABLE audit_log ADD COLUMN chain BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN cseq BIGINT;
ALTER TABLE audit_log ADD COLUMN leaf BIGINT;
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
    created_ms     BIGINT NOT NULL,
    active         BIGINT NOT NULL
);

-- Signed tree heads: the tree of the first tree_size leaves, its root, and
-- the right edge of the tree (frontier: the roots of its perfect subtrees,
-- hex, largest first) from which the next seal continues.
CREATE TABLE audit_sth (
    tree_size    BIGINT PRIMARY KEY,
    timestamp_ms BIGINT NOT NULL,
    root_hash    TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    signature    TEXT NOT NULL,
    frontier     TEXT NOT NULL
);

-- Roots of the tree's perfect subtrees of 16 leaves and more (level = log2 of
-- the leaves, idx = first leaf / 2^level), so a proof reads O(log^2 n) rows.
-- A cache of what the leaves determine: `ywtb verify --audit` recomputes it.
CREATE TABLE audit_nodes (
    level BIGINT NOT NULL,
    idx   BIGINT NOT NULL,
    hash  TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Records of many writers take their global number from a sequence (no lock);
-- a rolled-back transaction may leave a gap there, which is no fault: the
-- chains' own numbers (chain, cseq) have none.
CREATE SEQUENCE audit_log_seq_gen;
SELECT setval('audit_log_seq_gen', COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1, false);
ALTER TABLE audit_log ALTER COLUMN seq SET DEFAULT nextval('audit_log_seq_gen');

-- During a rolling upgrade nodes of the previous version still append to the
-- single chain their way (audit_head's lock, an explicit seq, no chain
-- number).  Their records continue chain 1 - their v1 hash covers that seq,
-- which becomes the record's number in chain 1 - and take their global number
-- from the sequence, so they never collide with this version's; chain 1's head
-- follows audit_head.
CREATE FUNCTION audit_log_from_previous_version() RETURNS trigger AS $$
BEGIN
    NEW.chain := 1;
    NEW.cseq := NEW.seq;
    NEW.seq := nextval('audit_log_seq_gen');
    UPDATE audit_chains SET seq = NEW.cseq, hash = NEW.hash WHERE id = 1;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_previous_version BEFORE INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.cseq IS NULL) EXECUTE FUNCTION audit_log_from_previous_version();
