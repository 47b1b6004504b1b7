// smtp_sink.js - a small SMTP server (RFC 5321) on 127.0.0.1 for the
// notification tests: it accepts every message and keeps it, or refuses the
// DATA of the first `failFirst` messages with 451 (a temporary failure, so
// the sender must retry).  Not a test file itself.
//
// With `check: true` it also answers, over HTTP, whether it accepted a
// Message-ID (GET sink.checkUrl?message_id=ID: 200 or 404), as a relay's
// delivery log would: the sender asks it before resending a message whose
// attempt a crash interrupted (src/services/mailer.c).  To make such a
// crash, sink.stall('accept') keeps the next message but never answers its
// DATA (the acceptance was lost with the sender), sink.stall('drop')
// neither keeps nor answers it (the relay died first); sink.stalled counts
// the messages held so; sink.checks and sink.checkHits count the questions
// and the yes answers.
//
//   const sink = await startSmtpSink({ failFirst: 2 });
//   sink.port; sink.messages -> [{ from, to: [..], data, messageId }]; sink.waitFor(n); sink.close()
import net from 'node:net';
import http from 'node:http';
import { once } from 'node:events';

const messageIdOf = (data) => /^Message-ID:\s*<([^>\r\n]*)>/im.exec(data)?.[1] || '';

export async function startSmtpSink({ failFirst = 0, port = 0, check = false } = {}) {
  const messages = [];
  let refused = 0;
  let stallNext = '';
  let stalled = 0;
  let checks = 0;
  let checkHits = 0;
  const waiters = [];
  const wake = () => {
    for (const w of waiters.splice(0)) if (messages.length >= w.n) w.resolve(); else waiters.push(w);
  };
  const socks = new Set();
  const server = net.createServer((sock) => {
    socks.add(sock);
    sock.on('close', () => socks.delete(sock));
    sock.setEncoding('utf8');
    let buf = '';
    let inData = false;
    let cur = { from: '', to: [], data: '' };
    sock.write('220 sink.test ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          cur.data = buf.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
          cur.messageId = messageIdOf(cur.data);
          buf = buf.slice(end + 5);
          inData = false;
          if (stallNext) {
            if (stallNext === 'accept') { messages.push(cur); wake(); }
            stallNext = '';
            stalled++;
            return; /* no reply, ever: the sender waits until it is killed or times out */
          }
          if (refused < failFirst) {
            refused++;
            sock.write('451 4.3.0 try again later\r\n');
          } else {
            messages.push(cur);
            sock.write('250 2.0.0 queued\r\n');
            wake();
          }
          cur = { from: '', to: [], data: '' };
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') sock.write('250-sink.test\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') sock.write('250 sink.test\r\n');
        else if (verb === 'MAIL') { cur.from = line.replace(/^MAIL FROM:\s*/i, ''); sock.write('250 OK\r\n'); }
        else if (verb === 'RCPT') { cur.to.push(line.replace(/^RCPT TO:\s*/i, '')); sock.write('250 OK\r\n'); }
        else if (verb === 'DATA') { inData = true; sock.write('354 end with <CRLF>.<CRLF>\r\n'); }
        else if (verb === 'QUIT') { sock.end('221 bye\r\n'); return; }
        else if (verb === 'RSET' || verb === 'NOOP') sock.write('250 OK\r\n');
        else sock.write('502 not implemented\r\n');
      }
    });
    sock.on('error', () => {});
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  let checker = null;
  if (check) {
    checker = http.createServer((req, res) => {
      const u = new URL(req.url, 'http://sink');
      checks++;
      const id = u.searchParams.get('message_id') || '';
      const hit = u.pathname === '/accepted' && id !== '' && messages.some((m) => m.messageId === id);
      if (hit) checkHits++;
      res.writeHead(hit ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ accepted: hit }));
    });
    checker.listen(0, '127.0.0.1');
    await once(checker, 'listening');
  }
  return {
    port: server.address().port,
    checkUrl: checker ? `http://127.0.0.1:${checker.address().port}/accepted` : '',
    messages,
    get refused() { return refused; },
    get stalled() { return stalled; },
    get checks() { return checks; },
    get checkHits() { return checkHits; },
    stall(how) { stallNext = how; },
    waitFor(n, ms = 20000) {
      if (messages.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`smtp sink: ${messages.length} of ${n} messages after ${ms} ms`)), ms);
        waiters.push({ n, resolve: () => { clearTimeout(t); resolve(); } });
      });
    },
    close() {
      for (const x of socks) x.destroy();
      return Promise.all([new Promise((r) => server.close(() => r())), checker && new Promise((r) => checker.close(() => r()))]);
    },
  };
}

/** The decoded parts of a MIME message: { headers, subject, text, ics }. */
export function parseMail(raw) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  const headers = {};
  for (const l of head.split('\r\n')) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  const subject = (headers.subject || '').replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (m, b) => Buffer.from(b, 'base64').toString('utf8'));
  const bnd = /boundary="([^"]+)"/.exec(headers['content-type'] || '')?.[1];
  let text = '', ics = '';
  for (const part of bnd ? body.split(`--${bnd}`) : []) {
    const [ph, ...pb] = part.split('\r\n\r\n');
    const content = Buffer.from(pb.join('').replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/text\/plain/i.test(ph)) text = content;
    if (/text\/calendar/i.test(ph)) ics = content;
  }
  return { headers, subject, text, ics };
}
