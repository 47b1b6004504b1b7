// smuggling.test.js - requests whose framing or target two HTTP
// implementations could read differently are refused with 400 before anything
// else, and their connection is closed (RFC 9112 §6.3) (issue 16, item 6).
//
// libmicrohttpd 0.9.75 took the first of two different Content-Length headers,
// let Transfer-Encoding win over Content-Length, waited for ever on a
// Transfer-Encoding it does not know, and decoded %00 into a C string cut
// short, so /index.html%00.png served index.html.  Raw sockets (node:net):
// a client library would refuse to send most of these.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './harness.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Send raw bytes on a new connection and read until the server closes it (or
 * `wait` ms pass): { responses: [{ status, headers, json, text }], closed }.
 * Several responses in a row are split, so a smuggled second request shows.
 */
function exchange(port, raw, { wait = 5000 } = {}) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => s.write(Buffer.from(raw, 'latin1')));
    const parts = [];
    let closed = false;
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve({ responses: split(Buffer.concat(parts)), closed });
    };
    const timer = setTimeout(done, wait);
    s.on('data', (d) => parts.push(d));
    s.on('error', () => {});
    s.on('close', () => {
      closed = true;
      done();
    });
  });
}

/** HTTP/1.1 responses in buf (Content-Length framed). */
function split(buf) {
  const out = [];
  let rest = buf;
  while (rest.length) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(head[0].split(' ')[1]);
    const headers = {};
    for (const h of head.slice(1)) {
      const i = h.indexOf(':');
      headers[h.slice(0, i).toLowerCase()] = h.slice(i + 1).trim();
    }
    const len = Number(headers['content-length'] || 0);
    const body = rest.subarray(end + 4, end + 4 + len);
    const text = strict.decode(body);
    let json;
    if ((headers['content-type'] || '').startsWith('application/json')) json = JSON.parse(text);
    out.push({ status, headers, json, text });
    rest = rest.subarray(end + 4 + len);
  }
  return out;
}

const LOGIN = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
const SMUGGLED = 'GET /api/v1/departments HTTP/1.1\r\nHost: x\r\n\r\n';

/** One 400 invalid_request, as JSON, then the connection closed - nothing else answered. */
function assertRefused(r, what, message) {
  assert.equal(r.responses.length, 1, `${what}: ${r.responses.map((x) => x.status).join(', ')}`);
  const [res] = r.responses;
  assert.equal(res.status, 400, `${what}: ${res.status} ${res.text}`);
  assert.equal(res.json?.error?.code, 'invalid_request', `${what}: ${res.text}`);
  if (message) assert.match(res.json.error.message, message, what);
  assert.equal(res.headers.connection, 'close', what);
  assert.equal(r.closed, true, `${what}: the connection stays open`);
}

describe('request framing (RFC 9112 §6.3) and NUL bytes in paths', () => {
  let srv;
  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): raw framing must reach
    // ywtb's own parser; nginx in front refuses or rewrites it itself
    srv = await startServer({ nodes: 1 });
  });
  after(() => srv?.close());

  test('two Content-Length headers that differ are refused', async () => {
    const cases = {
      'first smaller': `${LOGIN}Content-Length: 2\r\nContent-Length: ${2 + SMUGGLED.length}\r\n\r\n{}${SMUGGLED}`,
      'first larger': `${LOGIN}Content-Length: ${2 + SMUGGLED.length}\r\nContent-Length: 2\r\n\r\n{}${SMUGGLED}`,
      'second not a number': `${LOGIN}Content-Length: 2\r\nContent-Length: 2x\r\n\r\n{}`,
      'a list': `${LOGIN}Content-Length: 2\r\nContent-Length: 2, 3\r\n\r\n{}`,
      'lower-case names': `${LOGIN}content-length: 2\r\nCONTENT-LENGTH: 3\r\n\r\n{} `,
    };
    for (const [what, raw] of Object.entries(cases))
      assertRefused(await exchange(srv.port, raw), what, /Content-Length headers differ or are not a number/);
  });

  test('the same Content-Length twice is accepted (RFC 9110 §8.6)', async () => {
    const r = await exchange(srv.port, `${LOGIN}Content-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    assert.equal(r.responses.length, 1);
    assert.equal(r.responses[0].status, 422, r.responses[0].text); // login and password missing: it was read
  });

  test('Content-Length with Transfer-Encoding is refused, in either order', async () => {
    const cases = {
      'CL.TE': `${LOGIN}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG`,
      'TE.CL': `${LOGIN}Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\n${SMUGGLED}\r\n0\r\n\r\n`,
      'CL 0 with chunks': `${LOGIN}Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    };
    for (const [what, raw] of Object.entries(cases))
      assertRefused(await exchange(srv.port, raw), what, /both Content-Length and Transfer-Encoding/);
  });

  test('a Transfer-Encoding other than one "chunked" is refused (it used to hang)', async () => {
    const body = '2\r\n{}\r\n0\r\n\r\n';
    const cases = {
      gzip: `${LOGIN}Transfer-Encoding: gzip\r\n\r\n${body}`,
      'gzip, chunked': `${LOGIN}Transfer-Encoding: gzip, chunked\r\n\r\n${body}`,
      'twice': `${LOGIN}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
      'chunked, identity': `${LOGIN}Transfer-Encoding: chunked, identity\r\n\r\n${body}`,
    };
    for (const [what, raw] of Object.entries(cases))
      assertRefused(await exchange(srv.port, raw), what, /Transfer-Encoding must be 'chunked'/);
    // plain chunked (any case) is read as before
    const r = await exchange(srv.port, `${LOGIN}Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n${body}`);
    assert.equal(r.responses.length, 1);
    assert.equal(r.responses[0].status, 422, r.responses[0].text);
  });

  test('a NUL byte anywhere in a path, raw or %00, is refused', async () => {
    const paths = {
      'static %00': '/index.html%00.png',
      'static raw NUL': '/index.html\0.png',
      'route parameter %00': '/api/v1/items/XH%00x',
      'route raw NUL': '/api/v1/items/XH\0x',
      'at the end': '/api/v1/departments%00',
      'in a directory': '/assets%00/app.js',
      'raw NUL before a query': '/index.html\0?x=1',
    };
    for (const [what, p] of Object.entries(paths))
      assertRefused(await exchange(srv.port, `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`), what, /NUL byte/);
  });

  test('what merely looks like it is answered as usual', async () => {
    // %2500 is the text "%00", not a NUL
    let r = await exchange(srv.port, 'GET /index.html%2500.png HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r.responses[0].status, 404, r.responses[0].text);
    assert.equal(r.responses[0].json.error.code, 'not_found');
    // a NUL in the query of a route is refused as text (as before)
    r = await exchange(srv.port, 'GET /api/v1/items?q=a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r.responses[0].status, 400);
    assert.equal(r.responses[0].json.error.code, 'invalid_utf8');
    r = await exchange(srv.port, 'GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r.responses[0].status, 200);
    assert.match(r.responses[0].text, /<html/);
    // keep-alive after a normal request: two requests, two answers
    r = await exchange(srv.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.deepEqual(r.responses.map((x) => x.status), [200, 200]);
  });
});
