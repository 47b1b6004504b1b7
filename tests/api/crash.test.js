// crash.test.js - kill -9 under concurrent case work, many times over: uploads,
// submissions (a company's with an uploaded material, a citizen's without),
// acceptance at the window and review decisions run at once; at a random
// moment the server is killed with SIGKILL.  Then, on the database as the crash
// left it, `ywtb verify --audit` must pass; after a restart every write the
// server acknowledged (2xx) is there - each upload with its bytes, each case at
// least as far as it was acknowledged (submitted, accepted, approved) - and
// nothing appears that was never asked for.  At the end a clean stop and a
// check of everything acknowledged in every cycle.
//
// durability.test.js does the same for accounts and sessions (two rounds) and
// cuts PostgreSQL's connections; this file is the case workflow, many cycles.
//
//   YWTB_CRASH_CYCLES  kill/restart cycles (default 20)
//   YWTB_CRASH_SEED    seed of the PRNG that picks the moments of the kills and
//                      the upload contents (default 16)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ENGINE } from './harness.js';
import { fixtureServer, registerPerson, registerCompany } from './case_fixtures.js';
import { pdf } from './file_fixtures.js';

const CYCLES = Number(process.env.YWTB_CRASH_CYCLES || 20);
const SEED = Number(process.env.YWTB_CRASH_SEED || 16);
const RANK = { draft: 0, submitted: 1, accepted: 2, approved: 3 };

/* mulberry32: a small deterministic PRNG (no Math.random in what decides the run) */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BOUNDARY = '----ywtbCrashBoundary';
function multipart(data) {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="m.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}
const sha = (b) => createHash('sha256').update(b).digest('hex');

describe(`crash: kill -9 under concurrent uploads, submissions and decisions, ${CYCLES} cycles (${ENGINE})`, () => {
  let srv, clerk, reviewer, companies, persons;
  const rnd = prng(SEED);
  /* what the server acknowledged, over all cycles */
  const files = new Map(); // file_id -> { token, sha }
  const cases = new Map(); // case_no -> { token, rank (acknowledged), decideTried }
  const attempts = new Map(); // applicant token -> submissions attempted
  let seq = 0;

  before(async () => {
    srv = await fixtureServer();
    clerk = await srv.login('clerk');
    reviewer = await srv.login('reviewer'); // XH-SCJ: reviews 食品经营许可
    companies = [await registerCompany(srv, '上海徐汇崩溃测试一有限公司', 40000004), await registerCompany(srv, '上海徐汇崩溃测试二有限公司', 40000005)];
    persons = [await registerPerson(srv, '林崩溃', '19880312', 101), await registerPerson(srv, '陈崩溃', '19910705', 202)];
  });
  after(() => srv?.close());

  async function upload(token) {
    const data = pdf(`crash ${SEED} ${++seq} ${Math.floor(rnd() * 1e12).toString(36)}`);
    const r = await srv.api('POST', '/api/v1/files', { raw: multipart(data), token, contentType: `multipart/form-data; boundary=${BOUNDARY}` });
    if (r.status !== 201) throw new Error(`upload: ${r.status} ${r.text}`);
    files.set(r.json.file_id, { token, sha: sha(data) });
    return r.json.file_id;
  }

  async function submit(who) {
    const company = !!who.uscc;
    attempts.set(who.token, (attempts.get(who.token) || 0) + 1);
    const body = company
      ? { item_code: 'T-SCJ-FOOD', form: { shop_address: `徐汇区崩溃路${seq}号` }, materials: [{ material_code: 'T-SCJ-FOOD-M01', file_id: await upload(who.token) }] }
      : { item_code: 'T-SWJ-D1' };
    const r = await srv.api('POST', '/api/v1/cases', { token: who.token, body });
    if (r.status !== 201) throw new Error(`submit: ${r.status} ${r.text}`);
    cases.set(r.json.case_no, { token: who.token, rank: RANK.submitted, company });
    return r.json.case_no;
  }

  /** Every case the window sees: case_no -> status. */
  async function allCases() {
    const out = new Map();
    let cursor = null;
    for (let page = 0; page < 1000; page++) {
      const r = await srv.api('GET', `/api/v1/cases?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: clerk });
      assert.equal(r.status, 200, r.text);
      for (const k of r.json.items) out.set(k.case_no, k.status);
      cursor = r.json.next_cursor;
      if (!cursor) break;
    }
    return out;
  }

  /** Run the clients until the kill; returns what went wrong before it. */
  async function load(killAfterMs) {
    const errors = [];
    let killed = null;
    // the work left by the previous cycles, as the server has it now
    const toAccept = [...(await allCases())].filter(([no, st]) => st === 'submitted' && cases.get(no)?.company).map(([no]) => no);
    const tq = await srv.api('GET', '/api/v1/tasks?limit=200', { token: reviewer });
    assert.equal(tq.status, 200, tq.text);
    const toDecide = tq.json.items.filter((t) => cases.has(t.case_no)).map((t) => ({ id: t.id, case_no: t.case_no }));
    const timer = setTimeout(() => (killed = srv.kill9()), killAfterMs);
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    async function client(name, step) {
      while (!killed) {
        try {
          await step();
        } catch (e) {
          if (!killed) errors.push(`${name}: ${e.message}`);
          return;
        }
      }
    }
    const clients = [
      // paced a little, so the uploads (all checked again at the end) do not outnumber the rest tenfold
      client('uploader', () => upload(companies[seq % 2].token).then(() => sleep(10))),
      client('company submitter 1', () => submit(companies[0]).then((no) => toAccept.push(no))),
      client('company submitter 2', () => submit(companies[1]).then((no) => toAccept.push(no))),
      client('citizen submitter', () => submit(persons[seq % 2])),
      client('window', async () => {
        const no = toAccept.shift();
        if (!no) return sleep(5);
        const r = await srv.api('POST', `/api/v1/cases/${no}/accept`, { token: clerk, body: { note: '受理' } });
        if (r.status !== 200) throw new Error(`accept ${no}: ${r.status} ${r.text}`);
        cases.get(no).rank = Math.max(cases.get(no).rank, RANK.accepted);
        for (const t of r.json.tasks) if (t.dept === 'XH-SCJ' && t.status === 'pending') toDecide.push({ id: t.id, case_no: no });
      }),
      client('reviewer', async () => {
        const t = toDecide.shift();
        if (!t) return sleep(5);
        cases.get(t.case_no).decideTried = true;
        const r = await srv.api('POST', `/api/v1/tasks/${t.id}/decide`, { token: reviewer, body: { decision: 'approve', opinion: '准予许可' } });
        if (r.status !== 200) throw new Error(`decide ${t.id}: ${r.status} ${r.text}`);
        cases.get(t.case_no).rank = RANK.approved;
      }),
    ];
    await Promise.all(clients);
    clearTimeout(timer);
    if (!killed) killed = srv.kill9(); // every client failed before the moment came
    const exit = await killed;
    return { errors, exit };
  }

  /** What is wrong with the acknowledged writes now (files: only those given). */
  async function lost(fileIds) {
    const bad = [];
    const now = await allCases();
    for (const [no, k] of cases) {
      const st = now.get(no);
      if (st === undefined) bad.push(`case ${no} (acknowledged ${k.rank}) is gone`);
      else if ((RANK[st] ?? -1) < k.rank) bad.push(`case ${no} is ${st}, acknowledged rank ${k.rank}`);
      else if (st === 'approved' && !k.decideTried) bad.push(`case ${no} is approved, never decided`);
    }
    // nothing that was never asked for: per applicant, no more cases than submissions
    for (const who of [...companies, ...persons]) {
      const r = await srv.api('GET', '/api/v1/cases?limit=100', { token: who.token });
      assert.equal(r.status, 200, `${who.name}'s session survived: ${r.text}`);
      let n = r.json.items.length;
      for (let c = r.json.next_cursor; c;) {
        const p = await srv.api('GET', `/api/v1/cases?limit=100&cursor=${c}`, { token: who.token });
        n += p.json.items.length;
        c = p.json.next_cursor;
      }
      if (n > (attempts.get(who.token) || 0)) bad.push(`${who.name} has ${n} cases, submitted ${attempts.get(who.token)}`);
    }
    for (const id of fileIds) {
      const f = files.get(id);
      const r = await fetch(`${srv.base}/api/v1/files/${id}/content`, { headers: { Authorization: `Bearer ${f.token}` } });
      const b = Buffer.from(await r.arrayBuffer());
      if (r.status !== 200) bad.push(`upload ${id}: ${r.status}`);
      else if (sha(b) !== f.sha) bad.push(`upload ${id}: other bytes`);
    }
    return bad;
  }

  test(`${CYCLES} cycles: every acknowledged write survives kill -9 and the audit chain stays intact`, async (t) => {
    const summary = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const filesBefore = new Set(files.keys());
      const ranksBefore = [...cases.values()].reduce((n, k) => n + k.rank, 0);
      const killAfter = 150 + Math.floor(rnd() * 1350);
      const r = await load(killAfter);
      assert.deepEqual(r.errors, [], `cycle ${cycle}: failures before the kill`);
      assert.equal(r.exit.signal, 'SIGKILL', `cycle ${cycle}`);
      // the database as the crash left it
      const a = srv.verifyAudit();
      assert.ok(a.intact, `cycle ${cycle}: ywtb verify --audit after the crash: ${a.stdout}${a.stderr}`);
      await srv.start();
      const fresh = [...files.keys()].filter((id) => !filesBefore.has(id));
      const bad = await lost(fresh);
      assert.deepEqual(bad, [], `cycle ${cycle} (killed after ${killAfter} ms)`);
      const ranks = [...cases.values()].reduce((n, k) => n + k.rank, 0);
      summary.push(`${killAfter}ms:+${fresh.length}f/+${ranks - ranksBefore}s`);
    }
    const approved = [...cases.values()].filter((k) => k.rank === RANK.approved).length;
    t.diagnostic(`${files.size} uploads, ${cases.size} cases (${approved} approved) acknowledged over ${CYCLES} kills; per cycle kill moment: +uploads/+steps: ${summary.join(' ')}`);
    assert.ok(cases.size > 0 && files.size > 0, 'some writes were acknowledged');

    // a clean stop at the end, and everything of every cycle once more
    assert.deepEqual(await srv.stop(), { code: 0, signal: null });
    const a = srv.verifyAudit();
    assert.ok(a.intact, a.stdout + a.stderr);
    assert.ok(a.records >= files.size + cases.size, `${a.records} audit records for ${files.size} uploads and ${cases.size} cases`);
    await srv.start();
    assert.deepEqual(await lost([...files.keys()]), []);
  });
});
