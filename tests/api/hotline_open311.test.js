// hotline_open311.test.js - Open311 GeoReport v2 as an existing Open311
// client talks to it.  No Open311 client library on npm installs today (the
// one package, `open311` 0.0.12, depends on a git repository and request
// 2.11), so the client below calls ywtb the way FixMyStreet's Open311 sender
// (perllib/Open311.pm) does: XML endpoints (services.xml, services/{code}.xml,
// requests.xml), requests posted as application/x-www-form-urlencoded with
// jurisdiction_id, api_key, service_code, lat, long, email, first_name,
// last_name, phone, description and attribute[code], the answer read as
// <service_requests><request><service_request_id>; and as a JSON client does.
// It creates a request and follows its status while the hotline runs the loop
// (dispatch, sign, answer, close): open -> closed with the answer as
// status_notes and the department as agency_responsible.  A post without a
// valid api_key, with an unknown service, a bad attribute or a place outside
// Xuhui is refused with the standard's error list and writes nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, startServer, ENGINE } from './harness.js';

const KEY = 'fms-test-key-2b7c9e';
const JURISDICTION = 'xuhui.sh.cn';

/* A small XML reader for GeoReport documents: elements to objects, repeated
 * children to arrays, text unescaped. */
function parseXml(text) {
  const s = text.replace(/^<\?xml[^>]*\?>\s*/, '');
  let i = 0;
  const unescape = (t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  function element() {
    const m = /^<([A-Za-z_][\w.-]*)(\/?)>/.exec(s.slice(i));
    if (!m) throw new Error(`XML: expected an element at ${i}: ${s.slice(i, i + 40)}`);
    i += m[0].length;
    const name = m[1];
    if (m[2]) return [name, ''];
    if (s[i] !== '<' || s.startsWith(`</${name}>`, i)) {
      const end = s.indexOf(`</${name}>`, i);
      const value = unescape(s.slice(i, end));
      i = end + name.length + 3;
      return [name, value];
    }
    const obj = {};
    while (!s.startsWith(`</${name}>`, i)) {
      const [k, v] = element();
      if (k in obj) obj[k] = [].concat(obj[k], [v]);
      else obj[k] = v;
    }
    i += name.length + 3;
    return [name, obj];
  }
  const [root, value] = element();
  return { [root]: value };
}
const list = (v) => (v === undefined || v === '' ? [] : [].concat(v));

/** The client: the calls FixMyStreet's Open311 module makes, on an endpoint. */
class Open311Client {
  constructor(endpoint, { jurisdiction, apiKey, format = 'xml' }) {
    Object.assign(this, { endpoint, jurisdiction, apiKey, format });
  }
  async get(path, params = {}) {
    const q = new URLSearchParams({ jurisdiction_id: this.jurisdiction, ...params });
    const r = await fetch(`${this.endpoint}${path}.${this.format}?${q}`);
    return this.read(r);
  }
  async read(r) {
    const text = await r.text();
    const body = this.format === 'xml' ? parseXml(text) : JSON.parse(text);
    return { status: r.status, type: r.headers.get('content-type'), body, text };
  }
  services() {
    return this.get('services');
  }
  serviceDefinition(code) {
    return this.get(`services/${code}`);
  }
  async postRequest(fields) {
    const form = new URLSearchParams({ jurisdiction_id: this.jurisdiction, api_key: this.apiKey });
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'attributes') for (const [a, av] of Object.entries(v)) form.append(`attribute[${a}]`, av);
      else form.append(k, v);
    }
    const r = await fetch(`${this.endpoint}requests.${this.format}`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
    return this.read(r);
  }
  request(id) {
    return this.get(`requests/${id}`);
  }
  requests(params) {
    return this.get('requests', params);
  }
}
/* The rows of a requests answer in either format. */
const rows = (res) => (res.body.service_requests !== undefined ? list(res.body.service_requests.request) : res.body);

describe('hotline: Open311 GeoReport v2 for existing clients', () => {
  let srv, fms, json, tok;
  const step = (no, action, who, body = {}) => srv.api('POST', `/api/v1/hotline/orders/${no}/${action}`, { token: tok[who], body });
  const countAll = async () => (await srv.api('GET', '/api/v1/hotline/orders?limit=200', { token: tok.hotline })).json.items.length;

  before(async () => {
    // one process (nodes: 1 under YWTB_TEST_NODES): a node keeps the pages it
    // sent (hotline/o311_cache.c) and another node's writes reach them only
    // after hotline_open311_cache_ms, by design; the last test here is that one
    // node's cache showing its own writes at once
    srv = await startServer({ nodes: 1, args: ['--hotline-open311-keys', `fixmystreet:${KEY},other:another-key-77`] });
    fms = new Open311Client(`${srv.base}/open311/v2/`, { jurisdiction: JURISDICTION, apiKey: KEY });
    json = new Open311Client(`${srv.base}/open311/v2/`, { jurisdiction: JURISDICTION, apiKey: KEY, format: 'json' });
    tok = {};
    for (const who of ['hotline', 'rev.jsglw']) tok[who] = await srv.login(who);
  });
  after(() => srv?.close());

  test('discovery names the endpoint and both formats', async () => {
    const r = await srv.api('GET', '/open311/v2/discovery.json');
    assert.equal(r.status, 200);
    assert.equal(r.json.endpoints[0].url, `${srv.base}/open311/v2`);
    assert.deepEqual(r.json.endpoints[0].formats, ['application/json', 'text/xml']);
  });

  test('the service list in XML and JSON, and a service definition with its attribute', async () => {
    const x = await fms.services();
    assert.equal(x.status, 200);
    assert.match(x.type, /xml/);
    const services = list(x.body.services.service);
    const road = services.find((s) => s.service_code === 'HL-101');
    assert.equal(road.service_name, '道路破损');
    assert.equal(road.metadata, 'true');
    assert.equal(road.type, 'realtime');
    const j = await json.services();
    assert.equal(j.body.length, services.length);
    assert.equal(j.body.find((s) => s.service_code === 'HL-103').metadata, false);

    const def = await fms.serviceDefinition('HL-101');
    assert.equal(def.status, 200, def.text);
    const attr = def.body.service_definition.attributes.attribute;
    assert.equal(attr.code, 'severity');
    assert.equal(attr.required, 'true');
    assert.equal(attr.datatype, 'singlevaluelist');
    assert.deepEqual(list(attr.values.value).map((v) => v.key), ['minor', 'serious']);

    const none = await fms.serviceDefinition('HL-999');
    assert.equal(none.status, 404);
    assert.equal(none.body.errors.error.code, '404');
    const wrongPlace = await new Open311Client(fms.endpoint, { jurisdiction: 'elsewhere.example', format: 'xml' }).services();
    assert.equal(wrongPlace.status, 404);
  });

  test('posts without a valid api_key, or with bad data, are refused with the error list and write nothing', async () => {
    const before = await countAll();
    const good = { service_code: 'HL-101', lat: '31.2010', long: '121.4520', description: '路面塌陷', attributes: { severity: 'serious' } };
    let r = await new Open311Client(fms.endpoint, { jurisdiction: JURISDICTION, apiKey: 'wrong-key' }).postRequest(good);
    assert.equal(r.status, 403);
    assert.match(r.body.errors.error.description, /api_key/);
    r = await new Open311Client(fms.endpoint, { jurisdiction: JURISDICTION, apiKey: '' }).postRequest(good);
    assert.equal(r.status, 403);
    r = await fms.postRequest({ ...good, service_code: 'HL-999' });
    assert.equal(r.status, 404);
    r = await fms.postRequest({ ...good, attributes: { severity: 'apocalyptic' } });
    assert.equal(r.status, 400);
    assert.match(r.body.errors.error.description, /severity/);
    r = await fms.postRequest({ ...good, attributes: {} });
    assert.equal(r.status, 400, 'a required attribute is missing');
    r = await fms.postRequest({ ...good, lat: '31.6', long: '121.2' });
    assert.equal(r.status, 400);
    assert.match(r.body.errors.error.description, /^lat: .*Xuhui/);
    r = await fms.postRequest({ ...good, media_url: 'javascript:alert(1)' });
    assert.equal(r.status, 400);
    assert.match(r.body.errors.error.description, /^media_url/);
    r = await fms.postRequest({ service_code: 'HL-103', description: '没有地点' });
    assert.equal(r.status, 400, 'a location is required');
    r = await json.postRequest({ ...good, jurisdiction_id: 'elsewhere.example' });
    assert.equal(r.status, 404);
    assert.equal(r.body[0].code, 404);
    r = await srv.api('POST', '/open311/v2/requests.json', { raw: 'api_key=%ZZ&service_code=HL-101', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(r.status, 400, 'a malformed form');
    assert.equal(await countAll(), before, 'nothing was written');
  });

  let id;
  test('FixMyStreet posts a report (form-encoded, XML answer): it becomes a work order of channel open311', async () => {
    const r = await fms.postRequest({
      service_code: 'HL-101', lat: '31.201', long: '121.452', address_string: '徐汇区肇嘉浜路 500 号',
      description: '人行道地砖松动，老人险些绊倒', email: 'liu@example.com', first_name: '伟', last_name: '刘',
      phone: '13812345678', media_url: 'https://photos.example.com/p/1.jpg', attributes: { severity: 'serious' },
    });
    assert.equal(r.status, 201, r.text);
    const req = r.body.service_requests.request;
    id = req.service_request_id;
    assert.match(id, /^HL\d{14}$/);
    assert.match(req.service_notice, /5 个工作日/);
    const order = await srv.api('GET', `/api/v1/hotline/orders/${id}`, { token: tok.hotline });
    assert.equal(order.status, 200, order.text);
    assert.equal(order.json.channel, 'open311');
    assert.equal(order.json.caller.name, '刘伟');
    assert.equal(order.json.caller.phone, '13812345678');
    assert.equal(order.json.lat, 31.201);
    assert.equal(order.json.media_url, 'https://photos.example.com/p/1.jpg');
  });

  test('the client follows the status: open while the department works, closed with the answer', async () => {
    let r = await fms.request(id);
    assert.equal(r.status, 200, r.text);
    let row = r.body.service_requests.request;
    assert.equal(row.status, 'open');
    assert.equal(row.service_code, 'HL-101');
    assert.equal(row.lat, '31.201000');
    assert.equal(row.long, '121.452000');
    assert.equal(row.address, '徐汇区肇嘉浜路 500 号');
    assert.ok(!r.text.includes('13812345678') && !r.text.includes('刘伟'), 'no caller details in Open311 answers');

    assert.equal((await step(id, 'dispatch', 'hotline')).status, 200);
    assert.equal((await step(id, 'sign', 'rev.jsglw')).status, 200);
    r = await json.request(id);
    assert.equal(r.body[0].status, 'open');
    assert.equal(r.body[0].agency_responsible, '上海市徐汇区建设和管理委员会');
    assert.equal((await step(id, 'answer', 'rev.jsglw', { answer: '已更换松动地砖' })).status, 200);
    assert.equal((await step(id, 'close', 'hotline', { note: '办结' })).status, 200);

    r = await fms.request(id);
    row = r.body.service_requests.request;
    assert.equal(row.status, 'closed');
    assert.equal(row.status_notes, '已更换松动地砖');
    assert.equal(row.agency_responsible, '上海市徐汇区建设和管理委员会');
    assert.ok(row.updated_datetime >= row.requested_datetime);

    const closed = rows(await json.requests({ status: 'closed' }));
    assert.ok(closed.some((x) => x.service_request_id === id));
    const open = rows(await json.requests({ status: 'open' }));
    assert.ok(!open.some((x) => x.service_request_id === id));
    const byId = rows(await fms.requests({ service_request_id: id }));
    assert.equal(byId.length, 1);
    const byCode = rows(await json.requests({ service_code: 'HL-103' }));
    assert.ok(!byCode.some((x) => x.service_request_id === id));
    const bad = await json.requests({ status: 'sort-of' });
    assert.equal(bad.status, 422);
    const token = await json.get(`tokens/${id}`);
    assert.equal(token.body[0].service_request_id, id);
  });

  test('a JSON client posts too; the list shows street matters, never a phone-only question', async () => {
    const r = await json.postRequest({ service_code: 'HL-103', lat: 31.189, long: 121.437, description: '垃圾堆放' });
    assert.equal(r.status, 201, r.text);
    const jid = r.body[0].service_request_id;
    const q = await srv.api('POST', '/api/v1/hotline/orders', {
      token: tok.hotline, body: { category: 'HL-001', content: '咨询居住证积分的私人问题', caller_phone: '13700000003' },
    });
    assert.equal(q.status, 201);
    const all = rows(await json.requests());
    assert.ok(all.some((x) => x.service_request_id === jid));
    assert.ok(!all.some((x) => x.service_request_id === q.json.order_no), 'a question by phone is not published');
    const one = await json.request(q.json.order_no);
    assert.equal(one.status, 404);
  });
  test('the list comes in pages: page_size bounded, before= cursor, Link rel=next, newest first without gaps', async () => {
    for (const ps of ['0', '1001', 'ten', '-5', '2.5']) {
      const bad = await json.requests({ page_size: ps });
      assert.equal(bad.status, 422, `page_size=${ps}`);
      assert.match(bad.body[0].description, /page_size/);
    }
    const odd = await json.postRequest({ service_code: 'HL-103', lat: 31.18, long: 121.43,
      description: '他说"垃圾" \\ 在\n路边\t<request>&amp; 😀 /', media_url: 'https://photos.example.com/a/b.jpg' });
    assert.equal(odd.status, 201, odd.text);
    const whole = rows(await json.requests({ page_size: '1000' }));
    assert.ok(whole.length >= 3, 'the test has requests to page through');
    const times = whole.map((x) => x.requested_datetime);
    assert.deepEqual([...times].sort().reverse(), times, 'newest first');
    assert.equal(new Set(whole.map((x) => x.service_request_id)).size, whole.length);

    /* follow Link: rel="next" two at a time, as a client would */
    const seen = [];
    let url = `${srv.base}/open311/v2/requests.json?jurisdiction_id=${JURISDICTION}&page_size=2`;
    for (let guard = 0; url && guard < 1000; guard++) {
      const r = await fetch(url);
      assert.equal(r.status, 200);
      const page = JSON.parse(await r.text());
      assert.ok(page.length <= 2);
      seen.push(...page.map((x) => x.service_request_id));
      const link = r.headers.get('link');
      if (page.length < 2) assert.equal(link, null, 'a short page is the last');
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)[1] : null;
      if (url) assert.match(url, /[?&]before=HL\d+/);
    }
    assert.deepEqual(seen, whole.map((x) => x.service_request_id), 'the pages together are the whole list');

    /* a page's requests are written byte for byte as the request itself */
    for (const fmt of ['json', 'xml']) {
      for (const id of whole.map((w) => w.service_request_id)) {
        const idx = whole.findIndex((w) => w.service_request_id === id);
        const q = idx ? `&before=${whole[idx - 1].service_request_id}` : '';
        const page = await (await fetch(`${srv.base}/open311/v2/requests.${fmt}?page_size=1${q}`)).text();
        const one = await (await fetch(`${srv.base}/open311/v2/requests/${id}.${fmt}`)).text();
        assert.equal(page, one, `${fmt} ${id}`);
      }
    }

    /* XML pages link to XML */
    const x = await fetch(`${srv.base}/open311/v2/requests.xml?page_size=1`);
    assert.equal(x.status, 200);
    assert.match(x.headers.get('link'), /requests\.xml\?.*page_size=1.*before=/);
    assert.equal(list(parseXml(await x.text()).service_requests.request).length, 1);

    /* with filters, the cursor keeps them: status and service_code pages
     * followed one by one are the filtered list, in order */
    for (const filter of [{ status: 'open' }, { status: 'closed' }, { service_code: 'HL-103' },
      { status: 'open', service_code: 'HL-103' }]) {
      const all = rows(await json.requests({ ...filter, page_size: '1000' }));
      const got = [];
      let next = `${srv.base}/open311/v2/requests.json?${new URLSearchParams({ ...filter, page_size: '1' })}`;
      for (let guard = 0; next && guard < 1000; guard++) {
        const r = await fetch(next);
        assert.equal(r.status, 200, JSON.stringify(filter));
        got.push(...JSON.parse(await r.text()).map((x) => x.service_request_id));
        const link = r.headers.get('link');
        next = link ? /^<([^>]+)>; rel="next"$/.exec(link)[1] : null;
      }
      assert.deepEqual(got, all.map((x) => x.service_request_id), JSON.stringify(filter));
    }

    /* a cursor that is no public request */
    const unknown = await json.requests({ before: 'HL20990101999999' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body[0].description, /before/);
    const q = await srv.api('POST', '/api/v1/hotline/orders', {
      token: tok.hotline, body: { category: 'HL-001', content: '咨询社保卡补办', caller_phone: '13700000004' },
    });
    assert.equal(q.status, 201);
    const hidden = await json.requests({ before: q.json.order_no });
    assert.equal(hidden.status, 404, 'a phone question is no cursor either');
  });

  test('a new request and a status change show in the list at once, though the node keeps its answers', async () => {
    const first = rows(await json.requests());
    const again = rows(await json.requests()); /* the same question: the kept answer */
    assert.deepEqual(again, first);
    const r = await json.postRequest({ service_code: 'HL-103', lat: 31.19, long: 121.44, description: '绿化带垃圾' });
    assert.equal(r.status, 201, r.text);
    const nid = r.body[0].service_request_id;
    const after = rows(await json.requests());
    assert.equal(after[0].service_request_id, nid, 'the new request is on top at once');
    assert.equal(after[0].status, 'open');
    const openBefore = rows(await json.requests({ status: 'open', service_code: 'HL-103' }));
    assert.ok(openBefore.some((x) => x.service_request_id === nid));
    assert.equal((await step(nid, 'dispatch', 'hotline', { dept: 'XH-JSGLW' })).status, 200);
    const listed = rows(await json.requests({ status: 'open', service_code: 'HL-103' }));
    assert.equal(listed.find((x) => x.service_request_id === nid).agency_responsible, '上海市徐汇区建设和管理委员会',
      'the dispatch shows in the list');
  });
});

describe('hotline: Open311 pages read from the database are limited per client, kept answers are not', () => {
  let srv;
  before(async () => {
    // one process: the kept answers that are not counted are the node's own (see above)
    srv = await startServer({ nodes: 1, args: ['--hotline-open311-reads-per-min', '3', '--hotline-open311-cache-ms', '60000'] });
  });
  after(() => srv?.close());

  test('three reads a minute: the fourth different page is 429 in the standard\'s error list, the kept first page still 200', async () => {
    const get = (q) => fetch(`${srv.base}/open311/v2/requests.json${q}`);
    let r = await get('');
    assert.equal(r.status, 200);
    const first = await r.text();
    for (const q of ['?page_size=2', '?status=open']) assert.equal((await get(q)).status, 200, q);
    r = await get('?page_size=3');
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    const body = JSON.parse(await r.text());
    assert.equal(body[0].code, 429);
    assert.match(body[0].description, /too many/);
    const x = await fetch(`${srv.base}/open311/v2/requests.xml?page_size=4`);
    assert.equal(x.status, 429);
    assert.match(await x.text(), /<errors><error><code>429<\/code>/);
    r = await get('');
    assert.equal(r.status, 200, 'the kept answer is sent without reading');
    assert.equal(await r.text(), first);
    const one = await srv.api('GET', `/open311/v2/requests/${JSON.parse(first)[0].service_request_id}.json`);
    assert.equal(one.status, 200, 'one request is not a page');
  });
});

// On PostgreSQL a page takes the client's token from the shared bucket in its
// own statement (store.c); the bucket is still one for all the nodes: three
// nodes on one database allow one limit per address, not one each (on SQLite,
// one node: the same limit).
describe(`hotline: Open311 page reads are limited per address across nodes (${ENGINE})`, () => {
  let a, b, c;
  const args = ['--trust-proxy', 'true', '--hotline-open311-reads-per-min', '3'];
  before(async () => {
    a = await startServer({ nodes: 1, args });
    if (ENGINE !== 'postgres') return void (b = c = a);
    b = new Server({ db: { url: a.url, drop() {} }, args });
    await b.start();
    c = new Server({ db: { url: a.url, drop() {} }, args });
    await c.start();
  });
  after(async () => {
    if (c !== a) await c?.close();
    if (b !== a) await b?.close();
    await a?.close();
  });

  test('three pages a minute from one address over three nodes, then 429 on each; another address reads', async () => {
    const get = (node, q, ip) => fetch(`${node.base}/open311/v2/requests.json${q}`, { headers: { 'X-Forwarded-For': ip } });
    const ip = '203.0.113.77';
    /* different questions: none of them is a kept answer */
    const codes = [];
    for (const [i, node] of [a, b, c].entries()) {
      const r = await get(node, `?page_size=${i + 1}`, ip);
      codes.push(r.status);
    }
    assert.deepEqual(codes, [200, 200, 200]);
    for (const [i, node] of [a, b, c].entries()) {
      const r = await get(node, `?page_size=${i + 11}`, ip);
      assert.equal(r.status, 429, `node ${i}`);
      assert.match(r.headers.get('retry-after'), /^\d+$/);
      assert.equal(JSON.parse(await r.text())[0].code, 429);
    }
    /* a refused page with a cursor that is no request is refused, not 404 */
    assert.equal((await get(b, '?before=HL20990101999999', ip)).status, 429);
    const other = await get(c, '?page_size=7&status=open', '203.0.113.78');
    assert.equal(other.status, 200);
    assert.equal((await get(a, '?before=HL20990101999999', '203.0.113.79')).status, 404);
  });
});
