-- 0011_idempotency_request: an Idempotency-Key remembers a digest of the
-- request it was first used with (src/cases/apply.c), so the same key sent
-- with a different request is refused (422 idempotency_key_reused) instead of
-- silently answering with the first case.  The digest is the SHA-256, in hex,
-- of the request's fields as the server read them (item_code, bundle_code,
-- form, materials, draft, channel, applicant) serialized with sorted keys,
-- compact.  Keys stored before this migration have '' and replay as before.
ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';
