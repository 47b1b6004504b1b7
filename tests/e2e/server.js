// tests/e2e/server.js - a fresh ywtb server for a browser test file, with the
// service catalog loaded, built on the API tests' harness.
//
//   import { startPortal } from './server.js';
//   const srv = await startPortal();     // srv.base = http://127.0.0.1:PORT
//   ...
//   await srv.close();
//
// The catalog comes from <repo>/data when data/catalog/departments.json exists
// (the demo catalog), otherwise from tests/e2e/fixtures (a small catalog of the
// same shape, so the pages can be tested before the demo data lands).
// YWTB_E2E_DATA_DIR overrides both.  Seed and serve both get the directory, as
// YWTB_DATA_DIR, since every harness command runs in a temp dir.
import fs from 'node:fs';
import path from 'node:path';
import { Server, cli, REPO, CHEAP_PWHASH } from '../api/harness.js';

export { REPO };

export const FIXTURES = path.join(REPO, 'tests', 'e2e', 'fixtures');

/** The data directory the servers load the catalog from. */
export function dataDir() {
  if (process.env.YWTB_E2E_DATA_DIR) return path.resolve(process.env.YWTB_E2E_DATA_DIR);
  const repoData = path.join(REPO, 'data');
  if (fs.existsSync(path.join(repoData, 'catalog', 'departments.json'))) return repoData;
  return FIXTURES;
}

class PortalServer extends Server {
  constructor(opts = {}) {
    const dir = dataDir();
    super({ ...opts, env: { YWTB_DATA_DIR: dir, ...(opts.env || {}) } });
    this.dataDir = dir;
  }

  /** Demo staff and the catalog from this server's data directory. */
  seed() {
    const r = cli(['seed', '--demo', '--db', this.url, ...CHEAP_PWHASH], {
      cwd: this.dir,
      env: { YWTB_DATA_DIR: this.dataDir },
    });
    if (r.code !== 0) throw new Error(`ywtb seed failed (${r.code}): ${r.stderr}`);
    this.seedOutput = r.stdout;
    return r.stdout;
  }

}

/** A started, seeded server whose catalog is not empty. */
export async function startPortal(opts = {}) {
  const srv = new PortalServer(opts);
  try {
    srv.seed();
    await srv.start();
    const r = await srv.api('GET', '/api/v1/items?limit=1');
    if (r.status !== 200 || !r.json || !(r.json.total > 0)) {
      throw new Error(`the catalog did not load from ${srv.dataDir}: ${r.status} ${r.text}\n${srv.logTail()}`);
    }
  } catch (e) {
    await srv.close();
    throw e;
  }
  return srv;
}
