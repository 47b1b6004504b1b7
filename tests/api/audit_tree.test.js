// audit_tree.test.js - the audit log's signed Merkle tree as an outside
// auditor sees it (db/audit.h, ops/audit_log.c): the published tree heads,
// their SM2 signatures, the inclusion proof of records and the consistency
// proof between two heads, all checked here by an independent verifier in
// JavaScript (RFC 9162's algorithms written from the RFC, SM2/SM3 from the
// sm-crypto package, not ywtb's OpenSSL), then `ywtb verify --audit` on the
// same database, and a rewritten tree head caught by both.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import smCrypto from 'sm-crypto';
import { fixtureServer, registerPerson, assertError } from './case_fixtures.js';
import { cli, ENGINE, PG_ADMIN } from './harness.js';

const { sm2, sm3 } = smCrypto;

/* ---- the independent verifier ---- */
const hexToBytes = (h) => Array.from(Buffer.from(h, 'hex'));
const H = (bytes) => sm3(bytes); // SM3 of a byte array, hex
const leafHash = (recordHashHex) => H([0x00, ...hexToBytes(recordHashHex)]);
const nodeHash = (l, r) => H([0x01, ...hexToBytes(l), ...hexToBytes(r)]);

// RFC 9162 2.1.3.2
function verifyInclusion(leafIndex, treeSize, leaf, path, root) {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex, sn = treeSize - 1, r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1) === 0) while (fn !== 0 && (fn & 1) === 0) { fn >>= 1; sn >>= 1; }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1; sn >>= 1;
  }
  return sn === 0 && r === root;
}

// RFC 9162 2.1.4.2
function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first === second) return proof.length === 0 && firstRoot === secondRoot;
  if (proof.length === 0) return false;
  const list = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1, sn = second - 1;
  while ((fn & 1) === 1) { fn >>= 1; sn >>= 1; }
  let fr = list[0], sr = list[0];
  for (const c of list.slice(1)) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1) === 0) while (fn !== 0 && (fn & 1) === 0) { fn >>= 1; sn >>= 1; }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1; sn >>= 1;
  }
  return sn === 0 && fr === firstRoot && sr === secondRoot;
}

// The SM2 public key (04||x||y) from a SubjectPublicKeyInfo PEM: its last 65 bytes.
function pemToPublicHex(pem) {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return der.subarray(der.length - 65).toString('hex');
}

function verifySth(h, keys) {
  const key = keys.find((k) => k.key_id === h.key_id);
  if (!key) return false;
  const msg = `ywtb-sth-v1\n${h.tree_size}\n${h.timestamp}\n${h.root_hash}\n`;
  const sigHex = Buffer.from(h.signature, 'base64').toString('hex');
  return sm2.doVerifySignature(msg, sigHex, pemToPublicHex(key.public_pem),
    { der: true, hash: true, userId: '1234567812345678' });
}

describe('audit log: signed tree heads and proofs for an outside auditor', () => {
  let srv;
  const get = (p) => srv.api('GET', p);
  const ok = async (p) => {
    const r = await get(p);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
    return r.json;
  };
  const seal = () => {
    const r = cli(['audit', 'seal', '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return r.stdout;
  };
  const sql = (q) => {
    if (ENGINE === 'sqlite') return execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.url.replace(/^sqlite:/, ''), q], { encoding: 'utf8' });
    const u = new URL(PG_ADMIN);
    u.pathname = `/${srv.db.name}`;
    return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', u.toString(), '-c', q], { encoding: 'utf8' });
  };

  before(async () => {
    srv = await fixtureServer({ args: ['--audit-seal-seconds', '0'] }); // sealed here only, by the command
  });
  after(() => srv?.close());

  test('before a seal there is no head; bad queries are refused', async () => {
    const r = await get('/api/v1/public/audit/sth');
    assertError(r, 404, 'not_found');
    assertError(await get('/api/v1/public/audit/proof/inclusion?seq=1'), 404, 'not_found');
  });

  test('heads verify with the published key; every record has an inclusion proof; heads are consistent', async () => {
    await registerPerson(srv, '审计甲', '19800101', 11);
    assert.match(seal(), /^sealed \d+ records: tree of \d+/);
    const h1 = await ok('/api/v1/public/audit/sth');
    const { keys } = await ok('/api/v1/public/audit/keys');
    assert.equal(keys.length, 1);
    assert.match(keys[0].public_pem, /BEGIN PUBLIC KEY/);
    assert.ok(verifySth(h1, keys), 'the head is signed by the log key');
    assert.ok(!verifySth({ ...h1, tree_size: h1.tree_size + 1 }, keys), 'another size does not verify');

    // every record of the tree: its proof leads to the signed root
    const seqs = sql(`SELECT seq FROM audit_log WHERE leaf IS NOT NULL ORDER BY leaf`).trim().split('\n').map(Number);
    assert.equal(seqs.length, h1.tree_size);
    for (const seq of seqs) {
      const p = await ok(`/api/v1/public/audit/proof/inclusion?seq=${seq}&tree_size=${h1.tree_size}`);
      assert.equal(p.leaf_hash, leafHash(p.record_hash));
      assert.ok(verifyInclusion(p.leaf_index, p.tree_size, p.leaf_hash, p.audit_path, h1.root_hash), `record ${seq}`);
      if (p.audit_path.length) {
        const bad = [...p.audit_path];
        bad[0] = bad[0].replace(/^./, (c) => (c === '0' ? '1' : '0'));
        assert.ok(!verifyInclusion(p.leaf_index, p.tree_size, p.leaf_hash, bad, h1.root_hash));
      }
    }
    // the record's hash is SM3 of its content (format v2 of docs/ARCHITECTURE.md)
    const row = sql(`SELECT chain, cseq, at, actor, role, action, obj_type, obj_id, summary, prev_hash, hash, seq FROM audit_log WHERE chain <> 1 ORDER BY seq LIMIT 1`).trim().split('|');
    const [chain, cseq, ...fields] = row;
    const hash = fields[8];
    const field = (s) => `${Buffer.byteLength(s)}:${s}\n`;
    const canon = `ywtb-audit-v2\n${chain}\n${cseq}\n` + fields.slice(0, 8).map(field).join('');
    assert.equal(sm3(canon), hash);

    // more writes, a second head; the auditor holding h1 asks for consistency
    await registerPerson(srv, '审计乙', '19800101', 12);
    await registerPerson(srv, '审计丙', '19800101', 13);
    seal();
    const h2 = await ok('/api/v1/public/audit/sth');
    assert.ok(h2.tree_size > h1.tree_size);
    assert.ok(verifySth(h2, keys));
    const c = await ok(`/api/v1/public/audit/proof/consistency?first=${h1.tree_size}&second=${h2.tree_size}`);
    assert.ok(verifyConsistency(h1.tree_size, h2.tree_size, h1.root_hash, h2.root_hash, c.consistency));
    const forged = nodeHash(h1.root_hash, h1.root_hash);
    assert.ok(!verifyConsistency(h1.tree_size, h2.tree_size, forged, h2.root_hash, c.consistency), 'another old root does not fit');
    const { heads } = await ok('/api/v1/public/audit/sths');
    assert.deepEqual(heads.map((h) => h.tree_size).slice(-2), [h1.tree_size, h2.tree_size]);
    for (const h of heads) assert.ok(verifySth(h, keys));
    const page = await ok(`/api/v1/public/audit/sths?after=${h1.tree_size}&limit=1`);
    assert.deepEqual(page.heads.map((h) => h.tree_size), [h2.tree_size]);

    const v = srv.verifyAudit();
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /audit tree intact: \d+ records sealed, \d+ signed tree heads verified/);
  });

  test('bad input is a 4xx, nothing changes', async () => {
    const h = await ok('/api/v1/public/audit/sth');
    assertError(await get('/api/v1/public/audit/proof/inclusion'), 422, 'invalid_field', 'seq');
    assertError(await get('/api/v1/public/audit/proof/inclusion?seq=abc'), 422, 'invalid_field', 'seq');
    assertError(await get('/api/v1/public/audit/proof/inclusion?seq=999999999'), 404, 'not_found');
    assertError(await get(`/api/v1/public/audit/proof/inclusion?seq=1&tree_size=${h.tree_size + 1}`), 422, 'invalid_field', 'tree_size');
    assertError(await get('/api/v1/public/audit/proof/consistency'), 422, 'invalid_field', 'first');
    assertError(await get(`/api/v1/public/audit/proof/consistency?first=${h.tree_size + 5}`), 422, 'invalid_field', 'first');
    assertError(await get('/api/v1/public/audit/sths?limit=0'), 422, 'invalid_field', 'limit');
    // a record written after the last seal is in no tree yet
    await registerPerson(srv, '审计丁', '19800101', 14);
    const last = Number(sql('SELECT MAX(seq) FROM audit_log WHERE leaf IS NULL').trim());
    assertError(await get(`/api/v1/public/audit/proof/inclusion?seq=${last}`), 409, 'invalid_state');
    assert.deepEqual(await ok('/api/v1/public/audit/sth'), h);
  });

  test('a tree head rewritten in the database is caught offline and by the auditor', async () => {
    const h = await ok('/api/v1/public/audit/sth');
    const { keys } = await ok('/api/v1/public/audit/keys');
    sql(`UPDATE audit_sth SET root_hash = '${'ab'.repeat(32)}' WHERE tree_size = ${h.tree_size}`);
    const v = srv.verifyAudit();
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.match(v.stdout, /^audit tree BROKEN: the tree head of \d+ records does not match/m);
    const forged = await ok('/api/v1/public/audit/sth');
    assert.ok(!verifySth(forged, keys), 'the signature no longer fits the published head');
  });
});
