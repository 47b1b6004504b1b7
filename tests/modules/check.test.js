// tests/modules/check.test.js - the module rules (scripts/check-modules.mjs)
// hold over src/, and the checker finds each kind of breach in a tree that has
// one of each (tests/modules/bad/), so a checker that stopped looking fails too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.resolve(here, '..', '..', 'scripts', 'check-modules.mjs');
const run = (...args) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

test('src/ keeps the module rules: one owner per table, SQL on own tables only, no foreign internal includes', () => {
  const r = run();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /: ok$/m);
});

test('the checker reports each kind of breach in the fixture tree', () => {
  const r = run('--root', path.join(here, 'bad'));
  assert.equal(r.status, 1, r.stdout);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.some((l) => /table 'gamma' .* has no owner/.test(l)), 'unowned table');
  assert.ok(lines.some((l) => /src\/b\/b\.c:6: b names a's table 'alpha'/.test(l)), 'foreign table in SQL');
  assert.ok(lines.some((l) => /src\/b\/b\.c: includes "a\/internal\.h"/.test(l)), 'internal header');
  assert.ok(lines.some((l) => /src\/core\/x\.c: core is below the modules/.test(l)), 'base includes a module');
  assert.ok(lines.some((l) => /src\/main\.c: names the module 'a'/.test(l)), 'main names a module');
  assert.ok(lines.some((l) => /src\/a\/a\.h: the public header declares the internal name 'yw_a__hidden'/.test(l)), 'internal name in a public header');
  assert.ok(!lines.some((l) => /'beta'/.test(l)), 'a module may name its own table');
  assert.match(lines.at(-1), /6 breach\(es\)$/);
});
