// datahub.test.js - the data hub in the browser: the market regulator reads
// the demo citizen's 户籍人口 record for a case (through the demo grant) and the
// citizen sees that read in 我的数据 → 用数记录 and disputes it; their file
// (一人一档) shows the record and its "report an error" link opens a correction
// that the data officer of the hub answers in the workbench; the public open
// data page lists open resources with a CSV download; the demo company's
// application form for 建设工程规划许可证核发 comes with the project's name,
// site and floor area from the hub, locked, with a "report as wrong" link; the
// workbench's catalog, grants and purposeful read.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, waitText, untranslated, PHONE, assertNoSideScroll } from './browser.js';
import { loginUi, DEMO } from './journey.js';
import { uploadPdf } from '../api/case_fixtures.js';

const D = '/api/v1/datahub';
const CASE_NO = 'XH20261207000042';

describe('data hub: ledger, my file, corrections, open data, locked prefill, workbench', () => {
  let srv;
  let b;

  before(async () => {
    srv = await startPortal();
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });

  test('a read for a case shows in the citizen\'s ledger; the citizen disputes it', async () => {
    const reviewer = await srv.login('reviewer');
    const r = await srv.api('GET', `${D}/resources/GA-HJRK/subjects/${DEMO.citizen}?purpose=case&case_no=${CASE_NO}`, { token: reviewer });
    assert.equal(r.status, 200, r.text);
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'mydata.html#ledger' });
    await page.goto(`${srv.base}/mydata.html#ledger`);
    const row = page.locator(`[data-ledger="${r.json.ledger_id}"]`);
    await row.waitFor();
    const txt = await row.innerText();
    assert.match(txt, /户籍人口信息/);
    assert.match(txt, new RegExp(CASE_NO));
    assert.match(txt, /李审核/);
    page.once('dialog', (d) => d.accept('我没有办理过这项业务'));
    await row.locator('[data-testid=dispute]').click();
    await waitText(page, `[data-ledger="${r.json.ledger_id}"]`, /异议已提交/);
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'datahub-ledger');
    b.assertClean(page);
    await page.close();
    // at phone width the ledger scrolls inside its table, not the page
    const phone = await b.page(PHONE);
    await phone.goto(`${srv.base}/mydata.html#ledger`);
    await phone.locator('[data-testid=ledger]').waitFor();
    await assertNoSideScroll(phone);
    await shot(phone, 'datahub-ledger-phone');
    b.assertClean(phone);
    await phone.close();
  });

  test('my file shows the record; "report an error" becomes a correction the hub\'s data officer answers', async () => {
    const page = await b.page();
    await loginUi(page, srv, DEMO.citizen, { next: 'mydata.html' });
    await page.goto(`${srv.base}/mydata.html#file`);
    const hj = page.locator('[data-resource="GA-HJRK"]');
    await hj.waitFor();
    assert.match(await hj.innerText(), /衡山路88弄3号/);
    await hj.locator('[data-report="GA-HJRK.hukou_address"]').click();
    await page.locator('[data-testid=corr-form]').waitFor();
    assert.equal(await page.locator('[data-testid=corr-field]').inputValue(), 'hukou_address');
    await page.locator('[data-testid=corr-proposed]').fill('上海市徐汇区天平路街道衡山路88弄6号');
    await page.locator('[data-testid=corr-reason]').fill('门牌号登记有误');
    await page.locator('[data-testid=corr-form] button[type=submit]').click();
    await waitText(page, '[data-testid=corr-sent]', /答复期限 \d{4}-\d{2}-\d{2}/);
    await shot(page, 'datahub-correction');
    b.assertClean(page);

    const staff = await b.page();
    await loginUi(staff, srv, 'dataofficer', { next: 'workbench/data.html#tasks' });
    await staff.goto(`${srv.base}/workbench/data.html#tasks`);
    const task = staff.locator('[data-testid=dh-corrections] tr').first();
    await task.waitFor();
    assert.match(await task.innerText(), /88弄6号/);
    await task.locator('input').fill('经核实已更正');
    await task.locator('button', { hasText: '已更正' }).click();
    await waitText(staff, '[data-testid=dh-corrections]', /已完成/);
    b.assertClean(staff);
    await staff.close();

    // the browser shares one cookie jar: the citizen logs in again
    await loginUi(page, srv, DEMO.citizen, { next: 'mydata.html' });
    await page.goto(`${srv.base}/mydata.html?again=1#file`);
    await waitText(page, '[data-resource="GA-HJRK"]', /88弄6号/);
    await page.close();
  });

  test('open data: listed without login, with a CSV of the records', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/opendata.html`);
    const res = page.locator('[data-resource="ZW-FWWD"]');
    await res.waitFor();
    assert.match(await res.innerText(), /政务服务网点/);
    const href = await res.locator('[data-testid=csv]').getAttribute('href');
    const csv = await srv.api('GET', href);
    assert.equal(csv.status, 200);
    assert.match(csv.text, /徐汇区行政服务中心/);
    assert.deepEqual(await untranslated(page), []);
    b.assertClean(page);
    await page.close();
  });

  test('the apply form of a mapped item comes prefilled from the hub, locked, with a report link', async () => {
    const page = await b.page();
    await loginUi(page, srv, DEMO.company, { next: 'apply.html?item=GHZYJ-01-0001' });
    await page.goto(`${srv.base}/apply.html?item=GHZYJ-01-0001`);
    await page.locator('[data-testid=locked-project]').waitFor();
    const project = page.locator('#f-project');
    assert.equal(await project.inputValue(), '徐汇示范科技研发楼改扩建项目');
    assert.ok(await project.evaluate((el) => el.readOnly || el.disabled), 'the project is locked');
    assert.equal(await page.locator('#f-scale').inputValue(), '12800');
    assert.equal(await page.locator('[data-testid=report-project]').getAttribute('href'), `mydata.html?report=${encodeURIComponent('FG-XMBA.project')}`);
    await shot(page, 'datahub-prefill');
    b.assertClean(page);
    // opening the form was a read with the item as purpose
    const token = await srv.login(DEMO.company, DEMO.password);
    const l = await srv.api('GET', `${D}/me/ledger`, { token });
    assert.ok(l.json.items.some((e) => e.purpose === 'prefill' && e.resource === 'FG-XMBA' && /GHZYJ-01-0001/.test(e.purpose_text)));
    await page.close();
  });

  test('a submission\'s prefill reads show in the company\'s ledger with the service item and the case number', async () => {
    const CODE = 'GHZYJ-01-0001';
    const token = await srv.login(DEMO.company, DEMO.password);
    const item = (await srv.api('GET', `/api/v1/items/${CODE}`, { token })).json;
    const materials = [];
    for (const m of item.materials.filter((x) => x.required === 'required'))
      materials.push({ material_code: m.code, file_id: await uploadPdf(srv, token, m.code) });
    const k = await srv.api('POST', '/api/v1/cases', { token, body: { item_code: CODE, form: {}, materials } });
    assert.equal(k.status, 201, k.text);
    const entry = (await srv.api('GET', `${D}/me/ledger`, { token })).json.items
      .find((e) => e.purpose === 'prefill' && e.case_no === k.json.case_no);
    assert.ok(entry, 'the submission\'s prefill read is in the ledger');
    const page = await b.page();
    await loginUi(page, srv, DEMO.company, { next: 'mydata.html#ledger' });
    await page.goto(`${srv.base}/mydata.html#ledger`);
    const row = page.locator(`[data-ledger="${entry.id}"]`);
    await row.waitFor();
    const txt = await row.innerText();
    assert.match(txt, /表单预填/);
    assert.match(txt, new RegExp(CODE));
    assert.match(txt, new RegExp(k.json.case_no));
    assert.deepEqual(await untranslated(page), []);
    b.assertClean(page);
    await page.close();
  });

  test('the workbench: the catalog, a conditional resource requested and approved, a read with a purpose', async () => {
    const page = await b.page();
    await loginUi(page, srv, 'rev.swj', { next: 'workbench/data.html' });
    await page.goto(`${srv.base}/workbench/data.html#catalog`);
    await page.locator('[data-testid=dh-catalog]').waitFor();
    await page.locator('[data-testid=dh-search]').fill('公积金');
    await page.locator('[data-testid=dh-search]').press('Enter');
    await page.locator('[data-resource="GJ-JCXX"] a').click();
    await waitText(page, '[data-testid=dh-quality]', /1 条记录/);
    await page.locator('[data-testid=dh-request-open]').click();
    await page.locator('[data-testid=dh-request] [data-field=monthly_deposit]').check();
    await page.locator('[data-testid=dh-request] [data-field=status]').check();
    await page.locator('[data-testid=req-purpose]').fill('个人所得税住房贷款利息专项附加扣除核验');
    await page.locator('[data-testid=req-basis]').fill('《个人所得税专项附加扣除暂行办法》第二十六条');
    await page.locator('[data-testid=req-until]').fill('2027-12-31');
    await page.locator('[data-testid=dh-request] button[type=submit]').click();
    await waitText(page, '[data-testid=dh-detail]', /共享申请已提交/);
    b.assertClean(page);

    const officer = await b.page();
    await loginUi(officer, srv, 'dataofficer', { next: 'workbench/data.html#grants' });
    await officer.goto(`${srv.base}/workbench/data.html#grants`);
    const g = officer.locator('[data-testid=dh-grants] tr[data-status=pending]').first();
    await g.waitFor();
    assert.match(await g.innerText(), /住房公积金缴存信息/);
    await g.locator('input[value=status]').uncheck();
    await g.locator('[data-testid=grant-approve]').click();
    await officer.locator('[data-testid=dh-grants] tr[data-status=approved]').first().waitFor();
    b.assertClean(officer);
    await officer.close();

    await loginUi(page, srv, 'rev.swj', { next: 'workbench/data.html' });
    await page.goto(`${srv.base}/workbench/data.html?again=1#read`);
    await page.locator('[data-testid=read-resource]').fill('GJ-JCXX');
    await page.locator('[data-testid=read-subject]').fill(DEMO.citizen);
    await page.locator('[data-testid=read-purpose]').selectOption('service');
    await page.locator('[data-testid=read-text]').fill('专项附加扣除核验');
    await page.locator('[data-testid=read-out]').evaluate((el) => { el.textContent = ''; });
    await page.locator('form button[type=submit]').click();
    await page.locator('[data-testid=read-records]').waitFor();
    const heads = await page.locator('[data-testid=read-records] th').allInnerTexts();
    assert.deepEqual(heads, ['monthly_deposit']);
    assert.equal(await page.locator('[data-testid=read-records] td[data-field=monthly_deposit]').innerText(), '1680');
    // the whole file: every resource the department may read (each read ledgered)
    await page.locator('[data-testid=read-resource]').fill('');
    await page.locator('form button[type=submit]').click();
    await page.locator('[data-testid=read-records][data-resource="YB-CBXX"]').waitFor();
    assert.equal(await page.locator('[data-testid=read-records][data-resource="GJ-JCXX"] th').allInnerTexts().then((x) => x.join()), 'monthly_deposit');
    assert.equal(await page.locator('[data-testid=read-records][data-resource="GA-HJRK"]').count(), 0, 'no grant for 户籍人口');
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'datahub-workbench-read');
    b.assertClean(page);
    await page.close();
  });
});
