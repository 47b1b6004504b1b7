// paysim.js - start the payment gateway simulator (build/paysim, tools/paysim/)
// for a test file: on 127.0.0.1 and a free port, with its public key written
// to a temp file for ywtb's pay_gateway_key.  Not a test file itself.
//
//   const sim = await startPaysim();
//   srv = await startServer({ args: sim.ywtbArgs() });
//   await sim.get('/query?order_no=...');   sim.close();
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, freePort, tempDir } from './harness.js';

/* next to the ywtb under test; scripts/test.sh tests a private copy of ywtb
 * alone, so then the build's own (build/paysim) */
function paysimBin() {
  if (process.env.YWTB_PAYSIM) return process.env.YWTB_PAYSIM;
  const sibling = path.resolve(REPO, path.dirname(process.env.YWTB_BIN || 'build/ywtb'), 'paysim');
  return fs.existsSync(sibling) ? sibling : path.resolve(REPO, 'build', 'paysim');
}
const BIN = paysimBin();

/* opts.sign: 'sm2' (the default) or 'rsa' - how the simulator signs, and so
 * what ywtbArgs() tells ywtb (pay_gateway_sign). */
export async function startPaysim(opts = {}) {
  const kind = opts.sign || 'sm2';
  const dir = tempDir('ywtb-paysim-');
  const keyFile = path.join(dir, 'gateway.pem');
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc = spawn(BIN, ['--listen', `127.0.0.1:${port}`, '--key-out', keyFile, '--sign', kind], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    const up = await new Promise((resolve) => {
      let out = '';
      proc.stdout.on('data', (d) => {
        out += d;
        if (out.includes('listening')) resolve(true);
      });
      proc.on('exit', () => resolve(false));
    });
    if (!up) {
      if (/cannot listen/.test(err)) continue;
      throw new Error(`paysim did not start: ${err}`);
    }
    const base = `http://127.0.0.1:${port}`;
    return {
      base,
      keyFile,
      ywtbArgs: (extra = []) => ['--pay-gateway-url', base, '--pay-gateway-key', keyFile, '--pay-gateway-sign', kind, '--pay-query-every', '1', ...extra],
      async get(p) {
        const r = await fetch(base + p, { redirect: 'manual' });
        const text = await r.text();
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        return { status: r.status, text, json, headers: r.headers };
      },
      close() {
        proc.kill('SIGTERM');
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error('paysim: no free port');
}
