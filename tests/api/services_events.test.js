// services_events.test.js - the hall screen's live feed
// (GET /api/v1/public/hall/events, src/services/feed.c on http/stream.c):
// server-sent events that stay open, start with the current screen and then
// carry every number taken and called - to every listener, and across two
// nodes on one database (PostgreSQL: NOTIFY; SQLite, which two processes can
// share: the feed's own periodic look).  Listeners read the stream with
// fetch, as a browser's EventSource does: text/event-stream, "event:" and
// "data:" lines, a blank line ending each event.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Server, tempDir } from './harness.js';

const ITEM = 'SCJ-01-0001';

/* Open the stream; events arrive in .events, waitFor(pred) resolves with the first match. */
async function listen(srv) {
  const ctl = new AbortController();
  const res = await fetch(`${srv.base}/api/v1/public/hall/events`, { signal: ctl.signal, headers: { accept: 'text/event-stream' } });
  const l = { res, events: [], comments: 0, waiters: [], close: () => ctl.abort() };
  const dec = new TextDecoder();
  let buf = '';
  (async () => {
    try {
      for await (const chunk of res.body) {
        buf += dec.decode(chunk, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) l.comments++;
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.data += line.slice(6);
            else if (line.startsWith('retry: ')) ev.retry = Number(line.slice(7));
          }
          if (!ev.data) continue;
          ev.json = JSON.parse(ev.data);
          l.events.push(ev);
          l.waiters = l.waiters.filter((w) => !(w.pred(ev) && (w.res(ev), true)));
        }
      }
    } catch { /* aborted */ }
  })();
  l.waitFor = (pred, what) => {
    const hit = l.events.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no event: ${what}`)), 20000);
      l.waiters.push({ pred, res: (ev) => { clearTimeout(t); res(ev); } });
    });
  };
  return l;
}

const calledNumber = (n, w) => (ev) => ev.event === 'screen' && ev.json.called.some((c) => c.number === n && c.window === w);

describe('services: the hall screen by server-sent events', () => {
  let srv, clerk;
  const open = [];
  before(async () => {
    srv = await startServer({ clock: '2026-09-28T10:00:00+08:00' });
    clerk = await srv.login('clerk');
  });
  after(async () => {
    for (const l of open) l.close();
    await srv?.close();
  });

  test('a listener gets the screen at once, then each number taken and called', async () => {
    const l = await listen(srv);
    open.push(l);
    assert.equal(l.res.status, 200);
    assert.match(l.res.headers.get('content-type'), /^text\/event-stream/);
    assert.equal(l.res.headers.get('cache-control'), 'no-store');
    const first = await l.waitFor((ev) => ev.event === 'screen', 'the first screen');
    assert.equal(first.json.total_waiting, 0);
    assert.deepEqual(first.json.called, []);

    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM } });
    assert.equal(t.status, 201, t.text);
    await l.waitFor((ev) => ev.event === 'screen' && ev.json.total_waiting === 1, 'one waiting');

    const c = await srv.api('POST', '/api/v1/hall/windows/W02/call-next', { token: clerk, body: {} });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.number, t.json.number);
    const called = await l.waitFor(calledNumber(t.json.number, 'W02'), 'the call');
    assert.equal(called.json.total_waiting, 0);
  });

  test('many listeners all get the same call; a closed one does not stop the others', async () => {
    const ls = await Promise.all(Array.from({ length: 20 }, () => listen(srv)));
    open.push(...ls);
    await Promise.all(ls.map((l) => l.waitFor((ev) => ev.event === 'screen', 'first')));
    ls[0].close();
    ls[1].close();
    const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM } });
    assert.equal(t.status, 201, t.text);
    const c = await srv.api('POST', '/api/v1/hall/windows/W03/call-next', { token: clerk, body: {} });
    assert.equal(c.status, 200, c.text);
    const got = await Promise.all(ls.slice(2).map((l) => l.waitFor(calledNumber(t.json.number, 'W03'), 'the call')));
    assert.equal(got.length, 18);
    // the server still answers everything else
    assert.equal((await srv.api('GET', '/api/v1/public/hall/screen')).status, 200);
  });

  test('without Accept: text/event-stream the screen comes as one event and the response ends', async () => {
    const r = await fetch(`${srv.base}/api/v1/public/hall/events`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/event-stream/);
    const text = await r.text();
    const m = /^event: screen\ndata: (.*)\n\n$/m.exec(text);
    assert.ok(m, text);
    assert.equal(typeof JSON.parse(m[1]).total_waiting, 'number');
  });

  test('the stream is GET only', async () => {
    const r = await srv.api('POST', '/api/v1/public/hall/events', { body: {} });
    assert.equal(r.status, 405, r.text);
  });
});

describe('services: the hall screen on two nodes', () => {
  let a, b, clerk;
  let l;
  before(async () => {
    a = await startServer({ clock: '2026-09-28T10:00:00+08:00' });
    b = new Server({ db: { url: a.url, drop() {} }, dir: tempDir(), clock: '2026-09-28T10:00:00+08:00' });
    await b.start();
    clerk = await a.login('clerk');
  });
  after(async () => {
    l?.close();
    await b?.close();
    await a?.close();
  });

  test('a number called on one node reaches the screens of the other', async () => {
    l = await listen(b);
    await l.waitFor((ev) => ev.event === 'screen', 'the first screen');
    const t = await a.api('POST', '/api/v1/hall/tickets', { body: { item_code: ITEM } });
    assert.equal(t.status, 201, t.text);
    const c = await a.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} });
    assert.equal(c.status, 200, c.text);
    const ev = await l.waitFor(calledNumber(t.json.number, 'W01'), 'the call on node a');
    assert.equal(ev.json.called[0].number, t.json.number);
  });
});
