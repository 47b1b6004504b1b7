// supervision.test.js - the supervisor's journey of issue 10 in the browser: a
// case left to run late gets a red card as the test clock moves; the
// supervisor sees it on the board with the case behind it; the department's
// reviewer explains it on the card page; the supervisor accepts; the chief
// sees the department's queue by light and reassigns a task from the lights
// board; the statistics page shows the day's figures; the window clerk checks
// a subject's credit flags; a blocked citizen reads why in Chinese on the
// apply page and finds 我的信用 from the footer and the account page.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated } from './browser.js';
import { loginUi, applyApi, uploadApi, reviewerFor, DEMO } from './journey.js';
import { eventually } from '../api/eventually.js';

const ITEM = 'GAFJ-20-0001'; /* 无犯罪记录证明开具: 1 working day, XH-GAFJ */

describe('supervision: cards, boards, figures and credit in the workbench', () => {
  let srv;
  let b;
  let late;
  let other;
  let rev;

  before(async () => {
    srv = await startPortal({ clock: '2026-11-02T10:00:00+08:00' });
    b = await openBrowser();
    rev = reviewerFor(srv, 'XH-GAFJ');
    assert.ok(rev, 'the demo has a reviewer of XH-GAFJ');
    const citizen = await srv.login(DEMO.citizen, DEMO.password);
    const clerk = await srv.login('clerk');
    late = await applyApi(srv, citizen, ITEM);
    other = await applyApi(srv, citizen, ITEM);
    for (const k of [late, other]) {
      const r = await srv.api('POST', `/api/v1/cases/${k.case_no}/accept`, { token: clerk, body: {} });
      assert.equal(r.status, 200, r.text);
    }
    const r = await srv.api('POST', '/api/v1/test/clock', { body: { advance_days: 3 } }); // Thu 11-05: overdue
    assert.equal(r.status, 200, r.text);
    const sup = await srv.login('supervisor');
    const s = await srv.api('POST', '/api/v1/supervision/sweep', { token: sup });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.cards_made, 2);
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('the supervisor sees the red cards on the board, oldest first, with the case behind each', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'supervisor', { next: 'workbench/supervision.html' });
    await page.locator('[data-testid=oldest-cards]').waitFor();
    const rows = page.locator('[data-testid=oldest-cards] tbody tr');
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.first().getAttribute('data-case'), late.case_no);
    assert.equal(await rows.first().getAttribute('data-level'), 'red');
    assert.match(await text(page, '[data-testid=board-depts] tr[data-dept="XH-GAFJ"]'), /2/);
    // per person: the clerk who accepted both cases, by name, with their two red tasks and cards
    const person = page.locator('[data-testid=board-people] tr[data-dept="XH-GAFJ"]').first();
    assert.equal(await person.locator('[data-tasks]').getAttribute('data-tasks'), '2/0/0');
    assert.equal(await person.locator('[data-cards]').getAttribute('data-cards'), '0/2');
    assert.notEqual(await person.getAttribute('data-person'), '0');
    assert.doesNotMatch(await person.locator('th').innerText(), /未记录|#/);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'supervision-board');
    b.assertClean(page);
  });

  test('the department explains its card; the supervisor accepts the explanation', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, rev, { next: 'workbench/supervision.html' });
    const row = page.locator(`[data-testid=card-table] tr[data-case="${late.case_no}"]`);
    await row.locator('a').first().click();
    await page.locator('[data-testid=answer-form]').waitFor();
    await page.locator('#answer-form-text').fill('申请人补充核查，次日办结');
    await page.locator('[data-testid=answer-form] button[type=submit]').click();
    await waitText(page, '[data-testid=card-status]', /已说明/);
    assert.equal(await text(page, '[data-testid=card-answer]'), '申请人补充核查，次日办结');
    b.assertClean(page);

    await b.reset();
    const sp = await b.page();
    const cardUrl = new URL(page.url());
    await loginUi(sp, srv, 'supervisor', { next: `workbench/supervision.html${cardUrl.search.replace(/&?done=1/, '')}` });
    await sp.locator('[data-testid=accept]').click();
    await waitText(sp, '[data-testid=card-status]', /已关闭/);
    const history = await sp.locator('[data-testid=card-history] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    assert.deepEqual(history, ['created', 'answered', 'accepted']);
    await shot(sp, 'supervision-card');
    b.assertClean(sp);
  });

  test('the chief reassigns a late task from the lights board', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'chief', { next: 'workbench/lights.html?light=red' });
    const row = page.locator(`[data-testid=lights] tr[data-case="${other.case_no}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-light'), 'red');
    await row.locator('[data-testid=reassign]').click();
    await row.locator('select').selectOption('XH-SCJ');
    await row.locator('input[name=reason]').fill('职责调整');
    await row.locator('[data-testid=reassign-form] button[type=submit]').click();
    await page.locator('.notice-ok').waitFor();
    const moved = page.locator(`[data-testid=lights] tr[data-case="${other.case_no}"]`);
    assert.equal(await moved.getAttribute('data-dept'), 'XH-SCJ');
    b.assertClean(page);
  });

  test('the statistics page shows the figures of the period', async () => {
    // The department decides the late case: a task done after its due day, for the heat map.
    const reviewer = await srv.login(rev);
    const k = (await srv.api('GET', `/api/v1/cases/${late.case_no}`, { token: reviewer })).json;
    const task = k.tasks.find((x) => x.dept === 'XH-GAFJ' && x.status === 'pending');
    assert.ok(task, JSON.stringify(k.tasks));
    const d = await srv.api('POST', `/api/v1/tasks/${task.id}/decide`, { token: reviewer, body: { decision: 'approve', opinion: '符合条件' } });
    assert.equal(d.status, 200, d.text);
    // The applicant of the late case came to the hall twice for it: a case with more than one visit.
    const clerk = await srv.login('clerk');
    for (let i = 0; i < 2; i++) {
      const t = await srv.api('POST', '/api/v1/hall/tickets', { body: { item_code: 'SCJ-01-0001' } });
      assert.equal(t.status, 201, t.text);
      const c = await srv.api('POST', '/api/v1/hall/windows/W01/call-next', { token: clerk, body: {} });
      assert.equal(c.json.id, t.json.id, c.text);
      const f = await srv.api('POST', `/api/v1/hall/windows/W01/tickets/${t.json.id}/finish`, { token: clerk, body: { case_no: late.case_no } });
      assert.equal(f.status, 200, f.text);
    }
    // the rollups follow the events after their commits (after-commit subscribers): the page shows them once they are in
    const sup0 = await srv.login('supervisor');
    await eventually(async () => {
      const s = (await srv.api('GET', '/api/v1/supervision/stats?from=2026-11-01&to=2026-11-30', { token: sup0 })).json;
      assert.equal(s.total.cases_revisited, 1);
      assert.ok(s.total.tasks_done >= 1);
    });
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'supervisor', { next: 'workbench/statistics.html?from=2026-11-01&to=2026-11-30' });
    await page.locator('[data-testid=kpis]').waitFor();
    assert.match(await text(page, '[data-testid=kpis] [data-metric=cases_revisited]'), /跑动超过一次的办件\s*1/);
    assert.match(await text(page, '[data-testid=kpis] [data-metric=revisit_share]'), /100\.0%/);
    const revisited = page.locator('[data-testid=revisited-cases] tbody tr');
    assert.equal(await revisited.count(), 1);
    assert.match(await revisited.first().innerText(), new RegExp(`${late.case_no}[\\s\\S]*\\b2\\b`));
    assert.equal(await page.locator('[data-testid=csv-revisited-cases]').count(), 1);
    assert.match(await text(page, '[data-testid=kpis] [data-metric=received]'), /2/);
    assert.match(await text(page, '[data-testid=kpis] [data-metric=accepted]'), /2/);
    // The charts are ECharts (from /vendor/): each drawn on a canvas that is not blank, from the figures.
    const sup = await srv.login('supervisor');
    const figures = (await srv.api('GET', '/api/v1/supervision/stats?from=2026-11-01&to=2026-11-30', { token: sup })).json;
    assert.ok(figures.total.tasks_done >= 1, 'a task was decided');
    const charts = ['chart-trend', 'chart-depts', 'chart-heat'];
    for (const id of charts) {
      await page.locator(`[data-testid=${id}][data-rendered=true] canvas`).first().waitFor();
      const inked = await page.getByTestId(id).locator('canvas').first().evaluate((c) => {
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
        return n;
      });
      assert.ok(inked > 500, `${id} is drawn (${inked} pixels)`);
    }
    const option = (id) => page.getByTestId(id).evaluate((el) => {
      const o = window.echarts.getInstanceByDom(el).getOption();
      return { series: o.series.map((x) => ({ type: x.type, data: x.data })), x: o.xAxis[0].data, y: o.yAxis[0].data };
    });
    const sum = (a) => a.reduce((x, y) => x + (Array.isArray(y) ? 0 : y || 0), 0);
    const trend = await option('chart-trend');
    assert.equal(trend.x.length, figures.days.length, 'one point a day');
    assert.equal(sum(trend.series[0].data), figures.total.received, 'the trend adds up to the cases received');
    const bars = await option('chart-depts');
    assert.equal(bars.series[0].type, 'bar');
    assert.equal(bars.y.length, figures.departments.length, 'one bar per department');
    assert.equal(sum(bars.series[0].data), figures.total.received);
    assert.ok(bars.y.includes('上海市徐汇区公安分局') || bars.y.some((n) => /公安/.test(n)), 'departments by name');
    const heat = await option('chart-heat');
    assert.equal(heat.series[0].type, 'heatmap');
    assert.equal(heat.y.length, figures.departments.filter((x) => x.dept).length, 'a row per department');
    const gafj = heat.y.findIndex((n) => /公安/.test(n));
    const cell = heat.series[0].data.find(([, y]) => y === gafj);
    assert.ok(cell, 'the department that decided a task has a cell');
    assert.equal(cell[2], 0, 'decided after its due day: 0 % on time');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'supervision-statistics');
    b.assertClean(page);
  });

  test('the window checks a subject with a dishonest record against an item', async () => {
    const sup = await srv.login('supervisor');
    let r = await srv.api('POST', '/api/v1/credit/records', { token: sup, body: {
      subject_ident: DEMO.citizen, subject_name: DEMO.citizenName, kind: 'dishonest', category: '失信被执行人', dept: 'XH-GAFJ', basis: '《民事诉讼法》',
    } });
    assert.equal(r.status, 201, r.text);
    r = await srv.api('POST', '/api/v1/credit/rules', { token: sup, body: { record_kind: 'dishonest', target_kind: 'item', target: ITEM, measure: 'flag' } });
    assert.equal(r.status, 201, r.text);
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'clerk', { next: `workbench/credit.html?subject=${DEMO.citizen}&item=${ITEM}` });
    await page.locator('[data-testid=credit-flags]').waitFor();
    assert.equal(await page.locator('[data-testid=credit-flags]').getAttribute('data-result'), 'flag');
    assert.match(await text(page, '[data-testid=credit-flags]'), /失信被执行人/);
    await shot(page, 'supervision-credit');
    b.assertClean(page);
  });

  test('the flag is written on the next case and shown to the window on the case page', async () => {
    const citizen = await srv.login(DEMO.citizen, DEMO.password);
    const k = await applyApi(srv, citizen, ITEM);
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, 'clerk', { next: `workbench/case.html?no=${k.case_no}` });
    const panel = page.locator('[data-testid=case-credit]');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('data-result'), 'flag');
    assert.match(await panel.innerText(), /失信被执行人/);
    b.assertClean(page);
  });

  test('the citizen reads their own credit record; anyone reads the district figures', async () => {
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'mycredit.html' });
    await page.locator('[data-testid=my-credit]').waitFor();
    assert.match(await text(page, '[data-testid=my-credit]'), /失信被执行人/);
    assert.deepEqual(await untranslated(page), []);
    await page.locator('[data-testid=repair-request-form] textarea').fill('已履行判决确定的全部义务');
    await page.locator('[data-testid=repair-request-form] button[type=submit]').click();
    await waitText(page, '[data-testid=repair-asked]', /已履行判决确定的全部义务/);
    b.assertClean(page);
    await b.reset();
    const pub = await b.page();
    await pub.goto(`${srv.base}/figures.html`);
    await pub.locator('[data-testid=figures]').waitFor();
    assert.match(await text(pub, '[data-testid=figures] [data-metric=received]'), /3/);
    assert.deepEqual(await untranslated(pub), []);
    await shot(pub, 'supervision-figures');
    b.assertClean(pub);
  });

  test('a blocked citizen reads why in Chinese on the apply page and finds 我的信用 from the footer and the account page', async () => {
    const sup = await srv.login('supervisor');
    let r = await srv.api('POST', '/api/v1/credit/rules', { token: sup, body: { record_kind: 'dishonest', target_kind: 'item', target: ITEM, measure: 'block' } });
    assert.equal(r.status, 201, r.text);
    const citizen = await srv.login(DEMO.citizen, DEMO.password);
    const it = await srv.api('GET', `/api/v1/items/${ITEM}`);
    const materials = [];
    for (const m of it.json.materials.filter((x) => x.required === 'required')) {
      materials.push({ material_code: m.code, file_id: await uploadApi(srv, citizen, m.code) });
    }
    r = await srv.api('POST', '/api/v1/cases', { token: citizen, body: { item_code: ITEM, form: {}, materials, draft: true } });
    assert.equal(r.status, 201, r.text);
    const no = r.json.case_no;
    await b.reset();
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: `apply.html?case=${no}` });
    await page.locator('[data-testid=wizard]').waitFor();
    await page.getByTestId('wiz-next').click();
    await page.getByTestId('wiz-next').click();
    await page.getByTestId('wiz-submit').click();
    const said = await waitText(page, '#apply-alert', /失信记录/);
    assert.match(said, /联合惩戒/);
    assert.match(said, /我的信用/);
    assert.match(said, /失信被执行人/, 'the record behind the block, from the server');
    await shot(page, 'supervision-blocked-apply');
    b.assertClean(page);
    await page.getByTestId('footer-mycredit').click();
    await page.locator('[data-testid=my-credit]').waitFor();
    assert.match(await text(page, '[data-testid=my-credit]'), /失信被执行人/);
    await page.goto(`${srv.base}/me.html`);
    await page.getByTestId('me-to-credit').waitFor();
    assert.equal(await page.getByTestId('me-to-credit').getAttribute('href'), 'mycredit.html');
    assert.equal(await page.getByTestId('footer-figures').getAttribute('href'), 'figures.html');
    b.assertClean(page);
  });
});
