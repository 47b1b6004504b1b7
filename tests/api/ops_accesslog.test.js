// ops_accesslog.test.js - the access log (--access-log FILE): one JSON object
// a line for every request, with its request id (the X-Request-Id the client
// got), address, method, path, matched route, status, bytes of the body,
// milliseconds with three decimals, the account when one was authenticated
// and the error's message for a refusal - and lines that stay JSON whatever
// the path holds.  Operators feed these lines to their log tools
// (docs/OPERATIONS.md), so every field is checked, not only that a line came.
import {test, describe, before, after} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {startServer, tempDir} from './harness.js';

const PERSON = '310104199003072013';

describe('ops: the access log', () => {
    let srv, dir, file;
    before(async () => {
        dir = tempDir('ywtb-accesslog-');
        file = path.join(dir, 'access.log');
        // one node: the log is this process's file
        srv = await startServer({ nodes : 1, args : [ '--access-log', file ] });
    });
    after(() => {
        srv?.close();
        if (dir)
            fs.rmSync(dir, { recursive : true, force : true });
    });

    // The flusher writes every 200 ms: wait until the line of request id `id`.
    async function lineOf(id)
    {
        for (let i = 0; i < 100; i++) {
            const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
            for (const l of text.split('\n').filter(Boolean)) {
                const o = JSON.parse(l); // every line is JSON, not only the one looked for
                if (o.id === id)
                    return { o, raw : l };
            }
            await new Promise((r) => setTimeout(r, 100));
        }
        assert.fail(`no access log line for request ${id}`);
    }

    test('an authenticated read: every field, the account and the exact size', async () => {
        const token = await srv.login(PERSON);
        const r = await srv.api('GET', '/api/v1/me', { token });
        assert.equal(r.status, 200, r.text);
        const id = r.headers.get('x-request-id');
        assert.ok(id);
        const { o, raw } = await lineOf(id);
        assert.deepEqual(
            Object.keys(o),
            [ 'ts', 'id', 'ip', 'method', 'path', 'route', 'status', 'bytes', 'ms', 'account' ]);
        assert.match(o.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.ok(Math.abs(Date.parse(o.ts) - Date.now()) < 60000, o.ts);
        assert.equal(o.ip, '127.0.0.1');
        assert.equal(o.method, 'GET');
        assert.equal(o.path, '/api/v1/me');
        assert.equal(o.route, '/api/v1/me');
        assert.equal(o.status, 200);
        assert.equal(o.bytes, Buffer.byteLength(r.text));
        assert.equal(o.account, r.json.account.id);
        assert.equal(typeof o.ms, 'number');
        assert.ok(o.ms >= 0);
        assert.match(raw, /"ms":\d+\.\d{3},/, 'three decimals');
    });

    test('a refusal carries its message; an anonymous request has no account', async () => {
        const r = await srv.api('GET', '/api/v1/no/such/route');
        assert.equal(r.status, 404);
        const { o } = await lineOf(r.headers.get('x-request-id'));
        assert.equal(o.status, 404);
        assert.equal(o.route, '');
        assert.equal(o.account, undefined);
        assert.equal(typeof o.error, 'string');
        assert.ok(o.error.length > 0);
        assert.equal(o.bytes, Buffer.byteLength(r.text));
    });

    test('a path with quotes, backslashes and Chinese stays one JSON line', async () => {
        const p = '/api/v1/items/' + encodeURIComponent('营业执照"\\x');
        const r = await srv.api('GET', p);
        assert.equal(r.status, 404, r.text);
        const { o } = await lineOf(r.headers.get('x-request-id'));
        assert.equal(o.method, 'GET');
        assert.ok(o.path.startsWith('/api/v1/items/'), o.path);
        assert.equal(o.status, 404);
    });
});
