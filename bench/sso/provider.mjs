// provider.mjs PORT SECRET - the yardstick of ywtb's OpenID Connect figures:
// node's oidc-provider (the library issue 13 names) on 127.0.0.1:PORT with
// one client ("bench", client_secret_basic, client_credentials and the code
// flow), an ES256 signing key as ywtb's default, its in-memory adapter and
// otherwise its defaults.  Run by bench/sso.sh; prints "ready" when listening.
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.argv[2]);
const secret = process.argv[3];
const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'bench', client_secret: secret, token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials', 'authorization_code'], response_types: ['code'],
    redirect_uris: ['http://127.0.0.1:9/cb'], id_token_signed_response_alg: 'ES256', scope: 'openid bench.read',
  }],
  jwks: { keys: [jwk] },
  scopes: ['openid', 'bench.read'],
  features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
  cookies: { keys: [secret] },
});
provider.listen(port, '127.0.0.1', () => console.log('ready'));
