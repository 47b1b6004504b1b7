-- 0021_oidc_keys: private_key_jwt client authentication (RFC 7523 2.2, OpenID
-- Connect Core 9) for the OpenID Connect provider (src/identity/, issue 13).
-- Never edit: add a new number.
--
-- oidc_clients.jwks  the client's public keys as a JWK Set (JSON text; '' when
--                    the client authenticates with a secret or is public): a
--                    client with keys signs a client_assertion instead of
--                    sending a secret.
-- oidc_jtis          the jti of every client assertion accepted, kept until the
--                    assertion expires, so an assertion is used once.
ALTER TABLE oidc_clients ADD COLUMN jwks TEXT NOT NULL DEFAULT '';
CREATE TABLE oidc_jtis (
    client_id   TEXT NOT NULL,
    jti         TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX oidc_jtis_expires ON oidc_jtis (expires_at);
