// catalog.test.js - a citizen finds a service and reads its guide: the home
// page (popular items, bundles), search, browsing by audience, type and
// department, the guide page (materials, time limits, steps, questions,
// legal basis), bundles, a missing item, and the keyboard path.
//
// What the pages show is compared with what the API answers, so the test holds
// for any catalog (the demo data or tests/e2e/fixtures).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated } from './browser.js';

const FORM = { original: '原件', copy: '复印件', electronic: '电子材料' };
const dayText = (n) => (n > 0 ? `${n} 个工作日` : '即办');
const visitText = (n) => (n === 0 ? '零跑动' : n === 1 ? '最多跑一次' : `最多跑 ${n} 次`);
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('finding a service and reading its guide', () => {
  let srv;
  let b;
  const get = async (p) => {
    const r = await srv.api('GET', p);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
    return r.json;
  };

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('the home page shows the site, popular items by popularity and the bundles', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/`);
    assert.equal(await text(page, '.brand-name'), '徐汇区一网通办');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');

    const popular = (await get('/api/v1/items?limit=10')).items;
    assert.ok(popular.length > 0);
    for (let i = 1; i < popular.length; i++) assert.ok(popular[i - 1].popularity >= popular[i].popularity);
    await page.locator('[data-testid=popular] li').first().waitFor();
    assert.deepEqual(await page.locator('[data-testid=popular] li a').allInnerTexts(), popular.map((i) => i.name));

    const bundles = (await get('/api/v1/bundles')).items;
    assert.ok(bundles.length > 0, 'the catalog has bundles');
    await page.locator('[data-testid=bundles] h3').first().waitFor();
    assert.deepEqual(await page.locator('[data-testid=bundles] h3').allInnerTexts(), bundles.map((x) => x.name));

    const depts = (await get('/api/v1/departments')).items;
    const persons = depts.reduce((a, d) => a + d.item_count.person, 0);
    await waitText(page, '#count-person', new RegExp(`^${persons} 项$`));
    await waitText(page, '#count-depts', new RegExp(`^${depts.length} 个部门$`));
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'home-1280');
    b.assertClean(page);
    await page.close();
  });

  test('search 许可 from the home page, open a guide, read its materials and time limits', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/`);
    await page.getByLabel('搜索办事事项').fill('许可');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\.html\?q=/);

    const found = await get(`/api/v1/items?q=${encodeURIComponent('许可')}&limit=20`);
    assert.ok(found.total > 0, 'something matches 许可');
    await waitText(page, '#result-count', new RegExp(`“许可”共找到 ${found.total} 个事项`));
    assert.deepEqual(await page.locator('[data-testid=results] .item-card-title').allInnerTexts(), found.items.map((i) => i.name));
    assert.equal(await page.inputValue('#f-q'), '许可');
    await shot(page, 'search-xuke-1280');

    // prefer 食品经营许可 with materials; else the first result that has materials
    const guides = await Promise.all(found.items.map((i) => get(`/api/v1/items/${i.code}`)));
    const item = guides.find((g) => g.name.includes('食品经营许可') && g.materials.length) || guides.find((g) => g.materials.length);
    assert.ok(item, 'a result with materials');
    await page.getByRole('link', { name: item.name, exact: true }).first().click();
    await page.waitForURL(new RegExp(`/item\\.html\\?code=${esc(item.code)}$`));

    assert.equal(await text(page, '[data-testid=item-name]'), item.name);
    assert.match(await page.title(), new RegExp(`^${esc(item.name)} - 办事指南 - 徐汇区一网通办$`));
    assert.match(await text(page, '[data-testid=legal-days] dd'), new RegExp(`^${dayText(item.legal_days)}`));
    assert.match(await text(page, '[data-testid=promised-days] dd'), new RegExp(`^${dayText(item.promised_days)}`));
    assert.equal(await text(page, '[data-testid=visits] dd'), visitText(item.max_visits));
    if (item.legal_days > 0 && item.promised_days < item.legal_days) {
      const pct = Math.round(((item.legal_days - item.promised_days) / item.legal_days) * 100);
      assert.match(await text(page, '[data-testid=promised-days] dd'), new RegExp(`提速 ${pct}%`));
    }

    const rows = page.locator('[data-testid=materials] tbody tr');
    assert.equal(await rows.count(), item.materials.length);
    const required = item.materials.filter((m) => m.required === 'required').length;
    assert.equal(await text(page, '[data-testid=materials] caption'), `申请材料清单（共 ${item.materials.length} 项，其中必交 ${required} 项）`);
    for (let i = 0; i < item.materials.length; i++) {
      const m = item.materials[i];
      const cells = (await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim());
      assert.equal(cells[0], String(i + 1));
      assert.ok(cells[1].startsWith(m.name), `material ${i + 1}: ${cells[1]}`);
      if (m.required === 'conditional' && m.condition) assert.ok(cells[1].includes(`适用情形：${m.condition}`), cells[1]);
      assert.equal(cells[2], m.required === 'required' ? '必交' : '视情形提交');
      assert.equal(cells[3], FORM[m.form] || m.form);
      assert.equal(cells[4], m.copies > 0 ? `${m.copies} 份` : '—');
      if (m.license_type) {
        assert.ok(cells[5].includes('可用电子证照免交'), cells[5]);
        assert.ok(cells[5].includes(m.license_type_name || m.license_type), cells[5]);
      } else {
        assert.equal(cells[5], '—');
      }
    }

    const steps = item.steps || [];
    assert.equal(await page.locator('#s-steps ol.steps > li').count(), steps.length);
    if (steps.length) assert.equal(await text(page, '#s-steps ol.steps > li'), String(steps[0]));
    assert.ok((await text(page, '#s-legal')).includes(String(item.legal_basis).slice(0, 12)), 'legal basis shown');
    assert.ok((await text(page, '#s-basic')).includes(item.code));
    const faqs = item.faqs || [];
    assert.equal(await page.locator('#s-faqs details').count(), faqs.length);
    if (faqs.length) {
      const first = page.locator('#s-faqs details').first();
      assert.equal(await first.locator('p').isVisible(), false);
      await first.locator('summary').click();
      assert.equal((await first.locator('p').innerText()).trim(), faqs[0].a);
    }
    // the contents list jumps to the materials
    await page.locator('.toc a[href="#s-materials"]').click();
    await page.waitForURL(/#s-materials$/);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'item-guide-1280');
    b.assertClean(page);
    await page.close();
  });

  test('browse by audience and item type, page through, and by department', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/`);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '法人办事' }).click();
    await page.waitForURL(/\/search\.html\?target=enterprise$/);
    assert.equal(await text(page, 'main h1'), '法人办事');
    const ent = await get('/api/v1/items?target=enterprise&limit=20');
    await waitText(page, '#result-count', new RegExp(`^共 ${ent.total} 个事项$`));
    const targets = await page.locator('[data-testid=results] .badge-ent, [data-testid=results] .badge-person').allInnerTexts();
    assert.equal(targets.length, ent.items.length);
    assert.ok(targets.every((s) => s === '法人'), `every result is for businesses: ${targets}`);
    assert.equal(await page.getAttribute('.mainnav a[href="search.html?target=enterprise"]', 'aria-current'), 'page');

    // narrow to the first result's type with the filter form
    const type = ent.items[0].type;
    await page.getByLabel('事项类型').selectOption(type);
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/type=/);
    const typed = await get(`/api/v1/items?target=enterprise&type=${encodeURIComponent(type)}&limit=20`);
    await waitText(page, '#result-count', new RegExp(`^共 ${typed.total} 个事项$`));
    const types = await page.locator('[data-testid=results] .badge-type').allInnerTexts();
    assert.equal(types.length, typed.items.length);
    assert.ok(types.every((s) => s === type), `every result is ${type}: ${types}`);

    // all items, second page
    const all = await get('/api/v1/items?limit=20&cursor=20');
    if (all.total > 20) {
      await page.goto(`${srv.base}/search.html`);
      await page.getByRole('link', { name: '下一页' }).click();
      await page.waitForURL(/cursor=20/);
      await waitText(page, '#pager', /第 21–\d+ 项/);
      assert.deepEqual(await page.locator('[data-testid=results] .item-card-title').allInnerTexts(), all.items.map((i) => i.name));
      await page.getByRole('link', { name: '上一页' }).waitFor();
    }

    // departments
    const depts = (await get('/api/v1/departments')).items;
    await page.goto(`${srv.base}/depts.html`);
    await page.locator('[data-testid=depts] h2').first().waitFor();
    assert.deepEqual(await page.locator('[data-testid=depts] h2').allInnerTexts(), depts.map((d) => d.name));
    const dept = depts.find((d) => d.item_count.person + d.item_count.enterprise > 0);
    await page.getByRole('link', { name: dept.name, exact: true }).click();
    await page.waitForURL(/\/dept\.html\?code=/);
    assert.equal(await text(page, '[data-testid=dept-name]'), dept.name);
    const own = await get(`/api/v1/items?dept=${encodeURIComponent(dept.code)}&limit=20`);
    assert.equal(own.total, dept.item_count.person + dept.item_count.enterprise);
    await waitText(page, '#result-count', new RegExp(`^共 ${own.total} 个事项$`));
    const deptNames = await page.locator('[data-testid=results] .item-card-dept').allInnerTexts();
    assert.equal(deptNames.length, own.items.length);
    assert.ok(deptNames.every((s) => s === dept.name));
    await shot(page, 'dept-1280');
    b.assertClean(page);
    await page.close();
  });

  test('a bundle shows its steps and links to each item', async () => {
    const page = await b.page();
    const bundles = (await get('/api/v1/bundles')).items;
    const bundle = await get(`/api/v1/bundles/${bundles[0].code}`);
    await page.goto(`${srv.base}/`);
    await page.locator('[data-testid=bundles]').getByRole('link', { name: bundle.name }).click();
    await page.waitForURL(/\/bundle\.html\?code=/);
    assert.equal(await text(page, '[data-testid=bundle-name]'), bundle.name);
    const names = bundle.steps.flatMap((s) => s.items.map((i) => i.name));
    assert.deepEqual(await page.locator('[data-testid=bundle-steps] .bundle-items a').allInnerTexts(), names);
    assert.equal(await page.locator('[data-testid=bundle-steps] > li').count(), bundle.steps.length);
    await shot(page, 'bundle-1280');
    const first = bundle.steps[0].items[0];
    await page.getByRole('link', { name: first.name, exact: true }).first().click();
    await page.waitForURL(new RegExp(`/item\\.html\\?code=${esc(first.code)}$`));
    assert.equal(await text(page, '[data-testid=item-name]'), first.name);
    b.assertClean(page);
    await page.close();
  });

  test('an unknown item code says the item was not found', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/item.html?code=NO-SUCH-ITEM`);
    await waitText(page, 'main .notice', /没有找到这个事项/);
    assert.equal(await page.locator('[data-testid=item-name]').count(), 0);
    await page.goto(`${srv.base}/search.html?q=${encodeURIComponent('不存在的事项名称乙丙丁')}`);
    await waitText(page, '[data-testid=no-results]', /没有找到符合条件的事项/);
    await waitText(page, '#result-count', /共找到 0 个事项/);
    b.assertClean(page);
    await page.close();
  });

  test('keyboard: the skip link, visible focus, searching without a mouse', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/`);
    await page.locator('[data-testid=popular] li').first().waitFor();
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { cls: el.className, outline: cs.outlineStyle, width: cs.outlineWidth, top: r.top };
    });
    assert.equal(skip.cls, 'skip-link');
    assert.notEqual(skip.outline, 'none', 'focus is visible');
    assert.ok(skip.top >= 0, 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'home-q');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(ring, 'none', 'the search box shows its focus');
    await page.keyboard.type('食品');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\.html\?q=/);
    await waitText(page, '#result-count', /“食品”共找到 \d+ 个事项/);
    b.assertClean(page);
    await page.close();
  });
});
