// hotline_grid.test.js - urban grid management (GB/T 30428): the demo's unit
// grids as GeoJSON (15-digit codes 310104 + street + community + sequence), a
// point placed in its grid (checked against an independent point-in-polygon
// test of the same GeoJSON), `ywtb import grids`, and an event's whole loop
// with photos: a grid worker reports it with a photo (上报), the centre opens
// (立案) and dispatches (派遣) it, the department reports back with an
// after-photo (处置), the grid worker's check on site fails once and then
// passes (核查), the centre closes it (结案).  A 12345 order about the street
// becomes a grid event and closes with it.  Refusals: a photo that is not an
// image, another's upload, a place outside Xuhui, an unknown category, a step
// out of order, another department - each writing nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cli } from './harness.js';
import { png, pdf } from './file_fixtures.js';

const BOUNDARY = '----ywtbGridBoundary';

/* Even-odd ray test, written here so the server's placement is checked against another implementation. */
function contains(rings, [x, y]) {
  const inRing = (ring) => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  return inRing(rings[0]) && !rings.slice(1).some(inRing);
}

describe('hotline: unit grids and the grid event loop', () => {
  let srv;
  const tok = {};
  const api = (method, p, who, body) => srv.api(method, p, { token: who ? tok[who] : undefined, body });
  const step = (no, action, who, body = {}) => api('POST', `/api/v1/grid-events/${no}/${action}`, who, body);
  const upload = async (who, data, name, type) => {
    const body = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
      data, Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const r = await srv.api('POST', '/api/v1/files', { raw: body, token: tok[who], contentType: `multipart/form-data; boundary=${BOUNDARY}` });
    assert.equal(r.status, 201, r.text);
    return r.json.file_id;
  };
  const countEvents = async () => (await api('GET', '/api/v1/grid-events?limit=200', 'hotline')).json.items.length;

  before(async () => {
    srv = await startServer();
    for (const who of ['grid', 'hotline', 'rev.lrj', 'reviewer', 'supervisor', '310104199003072013']) tok[who] = await srv.login(who);
  });
  after(() => srv?.close());

  let grids;
  test('the demo grid: a few hundred cells with 15-digit codes, grouped by street and community', async () => {
    const r = await api('GET', '/api/v1/grids', 'grid');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.type, 'FeatureCollection');
    grids = r.json.features;
    assert.ok(grids.length >= 200, `${grids.length} cells`);
    for (const f of grids) {
      assert.match(f.id, /^310104\d{9}$/);
      assert.equal(f.geometry.type, 'Polygon');
    }
    assert.equal(new Set(grids.map((f) => f.properties.street)).size, 13, 'Xuhui\'s 13 streets and towns');
    const one = await api('GET', `/api/v1/grids?street=${encodeURIComponent('华泾镇')}`, 'grid');
    assert.ok(one.json.features.length > 0 && one.json.features.every((f) => f.properties.street === '华泾镇'));
    assert.equal((await api('GET', '/api/v1/grids', '310104199003072013')).status, 403, 'staff only');
  });

  test('a point is placed in the grid an independent point-in-polygon test finds', async () => {
    for (const pt of [[121.437, 31.189], [121.4011, 31.2333], [121.4801, 31.1052], [121.45, 31.15]]) {
      const want = grids.find((f) => contains(f.geometry.coordinates, pt));
      const r = await api('GET', `/api/v1/grids/locate?lat=${pt[1]}&lng=${pt[0]}`, 'grid');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.code, want.id, `point ${pt}`);
      assert.equal(r.json.street, want.properties.street);
    }
    let r = await api('GET', '/api/v1/grids/locate?lat=39.9&lng=116.4', 'grid');
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'lat');
    r = await api('GET', '/api/v1/grids/locate?lat=31.2', 'grid');
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'lng');
  });

  test('`ywtb import grids` loads real GeoJSON (all or none) and placement follows it', async () => {
    const dir = fs.mkdtempSync(path.join(srv.dir, 'grids-'));
    const cell = (code, x0, y0, d) => ({
      type: 'Feature',
      properties: { code, street: '徐家汇街道', community: '测试社区', name: `测试网格 ${code}` },
      geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]], [[x0 + d / 4, y0 + d / 4], [x0 + d / 2, y0 + d / 4], [x0 + d / 2, y0 + d / 2], [x0 + d / 4, y0 + d / 2], [x0 + d / 4, y0 + d / 4]]] },
    });
    const good = path.join(dir, 'good.geojson');
    fs.writeFileSync(good, JSON.stringify({ type: 'FeatureCollection', features: [cell('310104003009001', 121.4300, 31.2300, 0.001)] }));
    const bad = path.join(dir, 'bad.geojson');
    fs.writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [cell('310104003009002', 121.4320, 31.2300, 0.001), cell('12345', 121.44, 31.23, 0.001)] }));
    let r = cli(['import', 'grids', bad, '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /feature 1: grid code '12345'/);
    r = cli(['import', 'grids', good, '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /imported 1 unit grids/);
    const all = (await api('GET', '/api/v1/grids', 'grid')).json.features.map((f) => f.id);
    assert.ok(all.includes('310104003009001') && !all.includes('310104003009002'), 'the bad file wrote nothing');
    const inCell = await api('GET', '/api/v1/grids/locate?lat=31.2309&lng=121.4309', 'grid');
    assert.equal(inCell.json.code, '310104003009001');
    const inHole = await api('GET', '/api/v1/grids/locate?lat=31.23035&lng=121.43035', 'grid');
    assert.notEqual(inHole.json.code, '310104003009001', 'a point in the hole is not in the cell');
  });

  let E;
  test('bad reports are refused and write nothing', async () => {
    const before = await countEvents();
    const pdfId = await upload('grid', pdf('not a photo'), 'x.pdf', 'application/pdf');
    const theirs = await upload('hotline', png(8, 8), 'theirs.png', 'image/png');
    const ok = { major: '市容环境', minor: '暴露垃圾', description: '路边堆放垃圾', lat: 31.189, lng: 121.437 };
    const cases = [
      [{ ...ok, photo: pdfId }, 'photo'],
      [{ ...ok, photo: theirs }, 'photo'],
      [{ ...ok, photo: 'AAAAAAAAAAAAAAAAAAAAAAAA' }, 'photo'],
      [{ ...ok, lat: 31.5 }, 'lat'],
      [{ ...ok, major: '外星来客' }, 'major'],
      [{ ...ok, kind: 'component', major: '街面秩序' }, 'major'],
      [{ ...ok, kind: 'thing' }, 'kind'],
    ];
    for (const [body, field] of cases) {
      const r = await api('POST', '/api/v1/grid-events', 'grid', body);
      assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.error.field, field, r.text);
    }
    assert.equal((await api('POST', '/api/v1/grid-events', 'hotline', ok)).status, 403, 'grid workers report');
    assert.equal(await countEvents(), before, 'nothing was written');
  });

  test('the whole loop with photos: report, open, dispatch, handle, check fails then passes, close', async () => {
    const before = await upload('grid', png(16, 12), 'before.png', 'image/png');
    let r = await api('POST', '/api/v1/grid-events', 'grid', {
      kind: 'event', major: '市容环境', minor: '暴露垃圾', description: '漕溪北路人行道旁堆放建筑垃圾', lat: 31.1895, lng: 121.4372, photo: before,
    });
    assert.equal(r.status, 201, r.text);
    E = r.json.event_no;
    assert.match(E, /^GE\d{14}$/);
    assert.equal(r.json.status, 'reported');
    assert.equal(r.json.photo_before, before);
    const want = grids.find((f) => contains(f.geometry.coordinates, [121.4372, 31.1895]));
    assert.equal(r.json.grid_code, want.id, 'placed in its grid');

    r = await step(E, 'dispatch', 'hotline', { dept: 'XH-LRJ' });
    assert.equal(r.status, 409, 'dispatch before opening');
    assert.match(r.json.error.message, /'reported'/);
    assert.equal((await step(E, 'open', 'grid')).status, 403, 'the centre opens cases');
    r = await step(E, 'open', 'hotline', { note: '立案' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'opened');
    r = await step(E, 'dispatch', 'hotline', { dept: 'XH-NONE' });
    assert.equal(r.status, 422);
    r = await step(E, 'dispatch', 'hotline', { dept: 'XH-LRJ' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.dept_name, '上海市徐汇区绿化和市容管理局');
    let photo = await api('GET', `/api/v1/files/${before}/content`, 'rev.lrj');
    assert.equal(photo.status, 200, 'the department sees the grid worker\'s photo');
    photo = await api('GET', `/api/v1/files/${before}/content`, 'reviewer');
    assert.equal(photo.status, 404, 'another department does not');
    photo = await api('GET', `/api/v1/files/${before}/content`, '310104199003072013');
    assert.equal(photo.status, 404, 'nor a citizen');

    assert.equal((await api('GET', `/api/v1/grid-events/${E}`, 'reviewer')).status, 404, 'another department does not see it');
    const afterByOther = await upload('reviewer', png(4, 4), 'other.png', 'image/png');
    r = await step(E, 'handle', 'reviewer', { photo: afterByOther, note: '已清运' });
    assert.equal(r.status, 404, 'another department cannot handle it');
    const notImage = await upload('rev.lrj', pdf('after'), 'after.pdf', 'application/pdf');
    r = await step(E, 'handle', 'rev.lrj', { photo: notImage, note: '已清运' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'photo');
    const after1 = await upload('rev.lrj', png(16, 12, { noise: true }), 'after1.png', 'image/png');
    r = await step(E, 'handle', 'rev.lrj', { photo: after1, note: '已清运一半' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'handled');

    r = await step(E, 'verify', 'grid', { ok: false });
    assert.equal(r.status, 422, 'a failed check says why');
    r = await step(E, 'verify', 'grid', { ok: false, note: '仍有部分垃圾未清' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'dispatched', 'back to the department');
    const after2 = await upload('rev.lrj', png(16, 12, { noise: true }), 'after2.png', 'image/png');
    r = await step(E, 'handle', 'rev.lrj', { photo: after2, note: '已全部清运' });
    assert.equal(r.json.photo_after, after2);
    assert.equal((await step(E, 'close', 'hotline')).status, 409, 'closed only after the check');
    r = await step(E, 'verify', 'grid', { ok: true, note: '现场核查已清理' });
    assert.equal(r.json.status, 'verified');
    r = await step(E, 'close', 'hotline', { note: '结案' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'closed');
    assert.deepEqual(r.json.steps.map((s) => s.action), ['report', 'open', 'dispatch', 'handle', 'verify_failed', 'handle', 'verify', 'close']);
    assert.equal((await step(E, 'reject', 'hotline', { reason: '晚了' })).status, 409, 'a closed event stays closed');

    const cellCounts = (await api('GET', '/api/v1/grids', 'supervisor')).json.features.find((f) => f.id === want.id).properties;
    assert.ok(cellCounts.events >= 1, 'per-grid counts');
    const list = await api('GET', `/api/v1/grid-events?grid=${want.id}&status=closed`, 'grid');
    assert.ok(list.json.items.some((e) => e.event_no === E));
    const dept = await api('GET', '/api/v1/grid-events', 'rev.lrj');
    assert.ok(dept.json.items.every((e) => e.dept === 'XH-LRJ'));
    const audit = srv.verifyAudit();
    assert.ok(audit.intact, audit.stdout + audit.stderr);
  });

  test('an event can be rejected with a reason', async () => {
    let r = await api('POST', '/api/v1/grid-events', 'grid', { kind: 'component', major: '公用设施', minor: '井盖', description: '井盖松动', lat: 31.2, lng: 121.44 });
    assert.equal(r.status, 201, r.text);
    r = await step(r.json.event_no, 'reject', 'hotline', {});
    assert.equal(r.status, 422);
    r = await api('POST', '/api/v1/grid-events', 'grid', { kind: 'component', major: '公用设施', minor: '井盖', description: '重复上报', lat: 31.2, lng: 121.44 });
    r = await step(r.json.event_no, 'reject', 'hotline', { reason: '重复上报' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'rejected');
  });

  test('a 12345 order about the street becomes a grid event and closes when the event closes', async () => {
    let r = await api('POST', '/api/v1/hotline/orders', 'hotline', {
      category: 'HL-103', content: '天钥桥路垃圾桶满溢', lat: 31.195, lng: 121.438, caller_phone: '13912345678',
    });
    assert.equal(r.status, 201, r.text);
    const no = r.json.order_no;
    r = await api('POST', `/api/v1/hotline/orders/${no}/to-grid`, 'hotline', { major: '外星来客' });
    assert.equal(r.status, 422);
    r = await api('POST', `/api/v1/hotline/orders/${no}/to-grid`, 'hotline', { major: '市容环境', minor: '垃圾满溢' });
    assert.equal(r.status, 201, r.text);
    const ev = r.json.event_no;
    assert.equal(r.json.status, 'opened');
    assert.equal(r.json.order_no, no);
    r = await api('POST', `/api/v1/hotline/orders/${no}/to-grid`, 'hotline', { major: '市容环境' });
    assert.equal(r.status, 201, 'the order is still received');
    await step(r.json.event_no, 'reject', 'hotline', { reason: '重复' });
    assert.equal((await step(ev, 'dispatch', 'hotline', { dept: 'XH-LRJ' })).status, 200);
    const photo = await upload('rev.lrj', png(8, 8), 'done.png', 'image/png');
    assert.equal((await step(ev, 'handle', 'rev.lrj', { photo, note: '已清运' })).status, 200);
    assert.equal((await step(ev, 'verify', 'grid', { ok: true })).status, 200);
    assert.equal((await api('GET', `/api/v1/hotline/orders/${no}`, 'hotline')).json.status, 'received');
    assert.equal((await step(ev, 'close', 'hotline')).status, 200);
    r = await api('GET', `/api/v1/hotline/orders/${no}`, 'hotline');
    assert.equal(r.json.status, 'closed');
    assert.match(r.json.answer, new RegExp(`网格事件 ${ev} 已结案：已清运`));
    assert.deepEqual(r.json.steps.map((s) => s.action), ['intake', 'to_grid', 'to_grid', 'close']);
  });
});
