// codes.mjs CODE N OUT [postgres] - the authorization codes bench/sso.sh exchanges at
// ywtb's token endpoint: CODE is one code ywtb's authorization endpoint just
// issued (to the demo citizen, for the bench relying party, with the PKCE
// challenge of setup.mjs's verifier); this writes N fresh codes to OUT (one a
// line) and prints the SQL that stores them as copies of CODE's row (only
// their SM3 hash, as ywtb stores a code; valid 15 minutes).  Minting each
// through the authorization endpoint costs a durable commit apiece - slow on
// a loaded machine and not what is measured; the exchange reads the same row.
// The SQL is SQLite's (the sqlite3 CLI), or PostgreSQL's (psql) with "postgres".
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import smCrypto from 'sm-crypto';

const [code, n, out] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const pg = process.argv[5] === 'postgres';
const q = (s) => `'${s.replace(/'/g, "''")}'`;
const codes = [];
const sql = pg ? ['BEGIN;'] : ['.timeout 30000', 'BEGIN;'];
const expires = pg
  ? `to_char((now() AT TIME ZONE 'UTC') + interval '15 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+15 minutes')`;
for (let i = 0; i < n; i++) {
  const c = randomBytes(32).toString('base64url');
  codes.push(c);
  sql.push(`INSERT INTO oidc_codes (code_hash, client_id, account_id, session_hash, redirect_uri, scopes, nonce, ` +
    `code_challenge, auth_time, acr, expires_at) SELECT ${q(smCrypto.sm3(c))}, client_id, account_id, session_hash, ` +
    `redirect_uri, scopes, nonce, code_challenge, auth_time, acr, ${expires} ` +
    `FROM oidc_codes WHERE code_hash = ${q(smCrypto.sm3(code))};`);
}
sql.push('COMMIT;');
writeFileSync(out, `${codes.join('\n')}\n`);
console.log(sql.join('\n'));
