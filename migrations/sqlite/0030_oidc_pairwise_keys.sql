-- 0030_oidc_pairwise_keys: pairwise subject identifiers and key retirement
-- for the OpenID Connect provider (src/identity/, issue 13).  Never edit: add
-- a new number.
--
-- oidc_clients.subject_type       'public': sub is the account's id (the same
--                                 for every system); 'pairwise' (OpenID
--                                 Connect Core 8.1): sub is derived from the
--                                 account and the client's sector, so systems
--                                 of different sectors cannot match their
--                                 users by sub.
-- oidc_clients.sector_identifier  the sector a pairwise client belongs to (a
--                                 host name); '' = the host of its redirect
--                                 URIs.  Clients of one sector see one sub.
-- oidc_keys.published_until       a retired key stays in the JWKS until then
--                                 (the last ID token it can have signed has
--                                 expired); NULL while the key signs.
-- oidc_codes_expiry               the token endpoint clears spent codes a day
--                                 after they expire, a few hundred at a time:
--                                 without the index each clearing read every
--                                 code.
ALTER TABLE oidc_clients ADD COLUMN subject_type TEXT NOT NULL DEFAULT 'public'
    CHECK (subject_type IN ('public', 'pairwise'));
ALTER TABLE oidc_clients ADD COLUMN sector_identifier TEXT NOT NULL DEFAULT '';
ALTER TABLE oidc_keys ADD COLUMN published_until TEXT;
-- keys retired before this migration stay published for the day they were promised
UPDATE oidc_keys SET published_until = strftime('%Y-%m-%dT%H:%M:%fZ', retired_at, '+1 day')
    WHERE retired_at IS NOT NULL;
CREATE INDEX oidc_codes_expiry ON oidc_codes (expires_at);
