// provider.mjs PORT SECRET [MINT_PORT] - the yardstick of ywtb's OpenID
// Connect figures: node's oidc-provider (the library issue 13 names) on
// 127.0.0.1:PORT with one client ("bench", client_secret_basic,
// client_credentials and the code flow), an ES256 signing key as ywtb's
// default, an in-memory adapter and otherwise its defaults.  Run by
// bench/sso.sh; prints "ready" when listening.
//
// The adapter: its own quick-start MemoryAdapter's logic on a plain Map.
// That one is an LRU of 1000 entries, so the codes minted for the
// authorization_code run (and the grant they share) were evicted by the
// tokens issued before they were used; a Map keeps them, and costs no more.
//
// MINT_PORT: GET /mint?n=N&challenge=C on 127.0.0.1:MINT_PORT makes N
// authorization codes (PKCE S256 challenge C, scope openid, one grant of the
// account "bench-user") through the provider's own models - what its login
// and consent pages would leave behind - so that the benchmark measures only
// the token endpoint's authorization_code exchange, as it does on ywtb.
// The codes live 15 minutes here (its default: 1), so that slow minting on a
// loaded machine does not expire them before they are used.
import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.argv[2]);
const secret = process.argv[3];
const mintPort = Number(process.argv[4] || 0);
const RP = 'http://127.0.0.1:9/cb';
const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const store = new Map();
const grantKey = (id) => `grant:${id}`;
class MapAdapter {
  constructor(name) { this.name = name; }
  key(id) { return `${this.name}:${id}`; }
  async upsert(id, payload) {
    store.set(this.key(id), payload);
    if (payload.grantId) {
      const g = store.get(grantKey(payload.grantId)) || [];
      g.push(this.key(id));
      store.set(grantKey(payload.grantId), g);
    }
  }
  async find(id) { return store.get(this.key(id)); }
  async findByUid(uid) { for (const [k, v] of store) if (k.startsWith(`${this.name}:`) && v.uid === uid) return v; return undefined; }
  async findByUserCode() { return undefined; }
  async consume(id) { const v = store.get(this.key(id)); if (v) v.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { store.delete(this.key(id)); }
  async revokeByGrantId(grantId) {
    for (const k of store.get(grantKey(grantId)) || []) store.delete(k);
    store.delete(grantKey(grantId));
  }
}
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'bench', client_secret: secret, token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials', 'authorization_code'], response_types: ['code'],
    redirect_uris: [RP], id_token_signed_response_alg: 'ES256', scope: 'openid bench.read',
  }],
  adapter: MapAdapter,
  jwks: { keys: [jwk] },
  scopes: ['openid', 'bench.read'],
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
  cookies: { keys: [secret] },
  // the minted codes wait for the run (minting is slow on a loaded machine);
  // how long a code lives does not change what its exchange costs
  ttl: { AuthorizationCode: 900 },
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, name: 'bench' }) }),
});
provider.listen(port, '127.0.0.1', () => console.log('ready'));

if (mintPort) {
  http.createServer(async (req, res) => {
    try {
      const u = new URL(req.url, 'http://127.0.0.1');
      const n = Number(u.searchParams.get('n'));
      const client = await provider.Client.find('bench');
      const grant = new provider.Grant({ accountId: 'bench-user', clientId: 'bench' });
      grant.addOIDCScope('openid');
      const grantId = await grant.save();
      const out = [];
      const authTime = Math.floor(Date.now() / 1000);
      for (let i = 0; i < n; i++) {
        const code = new provider.AuthorizationCode({
          accountId: 'bench-user', client, grantId, scope: 'openid', redirectUri: RP, authTime,
          codeChallenge: u.searchParams.get('challenge'), codeChallengeMethod: 'S256',
        });
        out.push(await code.save());
      }
      res.end(`${out.join('\n')}\n`);
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e));
    }
  }).listen(mintPort, '127.0.0.1');
}
