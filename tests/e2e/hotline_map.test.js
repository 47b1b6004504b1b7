// hotline_map.test.js - the grid map (workbench/gridmap.html) in a browser:
// Leaflet, served by ywtb from /vendor/ (copied from npm by `make`), draws
// every unit grid of GET /api/v1/grids as a polygon and every grid event of
// GET /api/v1/grid-events as a marker at its place, with no tile server; a
// cell holding open events is shaded by their count and shows its counts; a
// marker links to its event.  Reached from the grid and hotline workbenches.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, untranslated } from './browser.js';
import { loginUi } from './journey.js';

describe('the grid map in the browser', () => {
  let srv, b;
  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('Leaflet and ECharts are served from /vendor/ with their types and caching', async () => {
    for (const [p, type] of [
      ['/vendor/leaflet/leaflet.js', /^text\/javascript/],
      ['/vendor/leaflet/leaflet.css', /^text\/css/],
      ['/vendor/leaflet/images/marker-icon.png', /^image\/png$/],
      ['/vendor/echarts/echarts.min.js', /^text\/javascript/],
    ]) {
      const r = await srv.api('GET', p);
      assert.equal(r.status, 200, `${p} is served (make copies it from node_modules)`);
      assert.match(r.headers.get('content-type'), type, p);
      assert.match(r.headers.get('cache-control'), /max-age=\d+/, p);
      assert.ok(r.headers.get('etag'), p);
    }
    assert.equal((await srv.api('GET', '/vendor/leaflet/nothing.js')).status, 404);
  });

  test('the grid polygons and the event markers are drawn, with per-grid counts', async () => {
    // Two events of our own in one cell: one left open, one rejected.
    const grid = await srv.login('grid');
    const op = await srv.login('hotline');
    const report = async (description, lat, lng) => {
      const r = await srv.api('POST', '/api/v1/grid-events', { token: grid, body: { kind: 'event', major: '市容环境', description, lat, lng } });
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const open = await report('宛平南路人行道共享单车乱停放', '31.1801', '121.4455');
    const gone = await report('重复上报：宛平南路单车', '31.1802', '121.4456');
    assert.ok(open.grid_code, 'placed in a grid');
    const rej = await srv.api('POST', `/api/v1/grid-events/${gone.event_no}/reject`, { token: op, body: { reason: '重复上报' } });
    assert.equal(rej.status, 200, rej.text);

    const grids = (await srv.api('GET', '/api/v1/grids', { token: op })).json.features;
    const events = [];
    for (let cursor = 0; ; ) {
      const r = await srv.api('GET', `/api/v1/grid-events?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: op });
      assert.equal(r.status, 200, r.text);
      events.push(...r.json.items);
      if (r.json.next_cursor == null) break;
      cursor = r.json.next_cursor;
    }
    assert.ok(grids.length >= 100, 'the demo grid has its cells');
    const cell = grids.find((f) => f.id === open.grid_code);
    assert.ok(cell.properties.open_events >= 1);

    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'hotline', { next: 'workbench/hotline.html' });
    await page.getByTestId('hl-map-link').click();
    await page.waitForURL(/gridmap\.html/);
    const map = page.locator('[data-testid=ge-map][data-ready=true]');
    await map.waitFor();
    assert.equal(await map.getAttribute('data-grids'), String(grids.length));
    assert.equal(await page.locator('[data-testid=ge-map] path.ge-cell').count(), grids.length, 'one polygon per unit grid');
    const withPlace = events.filter((e) => e.lat != null && e.lng != null);
    assert.equal(await page.locator('[data-testid=ge-map] path.ge-marker').count(), withPlace.length, 'one marker per event');
    assert.equal(await page.locator(`path.ge-marker-rejected[data-event="${gone.event_no}"]`).count(), 1);
    assert.equal(await page.locator(`path.ge-marker-reported[data-event="${open.event_no}"]`).count(), 1);

    // Drawn where they are: the marker lies inside its cell's polygon on screen.
    const poly = page.locator(`path.ge-cell[data-grid="${open.grid_code}"]`);
    assert.equal(await poly.getAttribute('data-open'), String(cell.properties.open_events));
    const pb = await poly.boundingBox();
    const mb = await page.locator(`path.ge-marker[data-event="${open.event_no}"]`).boundingBox();
    assert.ok(pb.width > 2 && pb.height > 2, 'the cell has a size on screen');
    const mx = mb.x + mb.width / 2, my = mb.y + mb.height / 2;
    assert.ok(mx >= pb.x && mx <= pb.x + pb.width && my >= pb.y && my <= pb.y + pb.height, 'the marker sits in its cell');
    assert.notEqual(await poly.getAttribute('fill-opacity'), await page.locator('path.ge-cell[data-open="0"]').first().getAttribute('fill-opacity'), 'a cell with open events is shaded');

    // Per-grid counts in the table, and a marker's popup links to its event.
    const row = page.locator(`[data-testid=ge-counts] tr[data-grid="${open.grid_code}"] td.num`);
    assert.deepEqual(await row.allTextContents(), [String(cell.properties.open_events), String(cell.properties.events)]);
    await page.locator(`path.ge-marker[data-event="${open.event_no}"]`).dispatchEvent('click');
    const link = page.locator('.leaflet-popup-content a');
    await link.waitFor();
    assert.equal(await link.textContent(), open.event_no);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'gridmap-1280');
    await link.click();
    await page.locator(`[data-testid=ge-event][data-event="${open.event_no}"]`).waitFor();
    await page.goto(`${srv.base}/workbench/grid.html`);
    await page.getByTestId('ge-map-link').click();
    await page.locator('[data-testid=ge-map][data-ready=true]').waitFor();
    b.assertClean(page);
  });
});
