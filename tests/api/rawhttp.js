// rawhttp.js - one HTTP/1.1 request over a plain TCP socket, bytes exactly as
// given: a request target with raw UTF-8, NUL or invalid bytes (which node:http
// refuses to send), any header values, chunked bodies.  For the fuzzer
// (fuzz.test.js).  Not a test file itself.
//
//   const r = await rawRequest(port, { method: 'GET', target: Buffer | string,
//     headers: [[name, value]], body: Buffer, chunked: false, timeout: 15000 });
//   r = { status, headers: {lower-case name: value}, body: Buffer }
//     | { error: 'timeout' | 'reset' | 'closed without a response' | 'malformed response' | message }
import net from 'node:net';

function findCrlfCrlf(buf) {
  return buf.indexOf('\r\n\r\n');
}

/* Decode a chunked body; null when it is not complete or malformed. */
function dechunk(buf) {
  const out = [];
  let i = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', i);
    if (eol < 0) return null;
    const size = parseInt(buf.subarray(i, eol).toString('latin1').split(';')[0], 16);
    if (Number.isNaN(size)) return null;
    i = eol + 2;
    if (size === 0) return Buffer.concat(out);
    if (i + size + 2 > buf.length) return null;
    out.push(buf.subarray(i, i + size));
    i += size + 2;
  }
}

/* Parse what the server sent: a response, null when incomplete, or { error }.
 * The answer to HEAD has no body, whatever its Content-Length says. */
function parse(buf, complete, head = false) {
  const h = findCrlfCrlf(buf);
  if (h < 0) return complete ? { error: buf.length ? 'malformed response' : 'closed without a response' } : null;
  const lines = buf.subarray(0, h).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) return { error: `malformed status line: ${JSON.stringify(lines[0].slice(0, 80))}` };
  const headers = {};
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    if (c > 0) headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
  }
  const status = Number(m[1]);
  const rest = buf.subarray(h + 4);
  if (head) return { status, headers, body: Buffer.alloc(0) };
  if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const body = dechunk(rest);
    if (body) return { status, headers, body };
    return complete ? { error: 'truncated chunked response' } : null;
  }
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (rest.length >= n) return { status, headers, body: rest.subarray(0, n) };
    return complete ? { error: `truncated response (${rest.length} of ${n} bytes)` } : null;
  }
  return complete ? { status, headers, body: rest } : null;
}

export function rawRequest(port, req) {
  const { method = 'GET', target = '/', headers = [], body = null, chunked = false, timeout = 15000, head = false } = req;
  return new Promise((resolve) => {
    const parts = [];
    let got = Buffer.alloc(0);
    let settled = false;
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ error: 'timeout' }), timeout);
    sock.on('data', (d) => {
      parts.push(d);
      got = Buffer.concat(parts);
      const r = parse(got, false, head);
      if (r) done(r);
    });
    sock.on('end', () => done(parse(got, true, head)));
    sock.on('close', () => done(parse(got, true, head)));
    sock.on('error', (e) => {
      // a reset after a whole response arrived is the server closing early (413): fine
      const r = parse(got, true, head);
      if (r && !r.error) return done(r);
      done({ error: e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : e.message });
    });
    sock.on('connect', () => {
      const head0 = [Buffer.from(`${method} `, 'latin1'), Buffer.isBuffer(target) ? target : Buffer.from(target, 'utf8'),
        Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`, 'latin1')];
      for (const [n, v] of headers) head0.push(Buffer.from(`${n}: `, 'latin1'), Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'), Buffer.from('\r\n'));
      if (body && chunked) head0.push(Buffer.from('Transfer-Encoding: chunked\r\n'));
      else if (body) head0.push(Buffer.from(`Content-Length: ${body.length}\r\n`));
      head0.push(Buffer.from('\r\n'));
      sock.write(Buffer.concat(head0));
      if (body && chunked) {
        const step = Math.max(1, Math.ceil(body.length / 3));
        for (let i = 0; i < body.length; i += step) {
          const c = body.subarray(i, i + step);
          sock.write(Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]));
        }
        sock.write('0\r\n\r\n');
      } else if (body) {
        sock.write(body);
      }
    });
  });
}
