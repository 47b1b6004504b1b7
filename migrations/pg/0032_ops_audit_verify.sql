-- 0032_ops_audit_verify: each `ywtb verify --audit` that could read the chain
-- (when it finished, how many records it checked, the first bad record or 0 and
-- what was wrong there), for the /metrics gauges of the last verification
-- (issue 21: "audit chain head and last verification").  Not audit records:
-- a check changes nothing.
-- Never edit: add a new number.
CREATE TABLE audit_verifications (
    id          BIGSERIAL PRIMARY KEY,
    finished_ms BIGINT NOT NULL,
    records     BIGINT NOT NULL,
    bad_seq     BIGINT NOT NULL,
    problem     TEXT NOT NULL
);
