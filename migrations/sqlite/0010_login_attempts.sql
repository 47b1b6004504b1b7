-- 0010_login_attempts: login_failures becomes the ledger of login attempts
-- that the lockout counts (identity/lockout.c).  `kind` says what a row is:
--   'failed'   a password that was checked and was wrong (every row before 0010)
--   'pending'  an attempt reserved before its password is hashed; it counts as
--              a failure until it is settled, so parallel attempts see it
--   'wait'     an address that has not failed for this login asked while the
--              login or the address was over its ceiling: it may try once its
--              short wait (login_delay) has passed
-- The pair index serves the per-(login, address) counts.
-- Never edit: add a new number.
ALTER TABLE login_failures ADD COLUMN kind TEXT NOT NULL DEFAULT 'failed';
CREATE INDEX login_failures_pair ON login_failures (login, ip, at);
