// bundle_en.test.js - 企业开办 (BND-QYKB) walked by the demo company with the
// portal in English (issue 15): the bundle's guide, the login, the one form,
// the one set of materials, the confirmation, the submission and the case
// page.  At every step no Chinese is left where a person reads - labels,
// buttons, headings, hints, badges, messages, the items' and materials' names
// - except what is data the company itself typed or owns (its name, what it
// typed into the form).  Desktop width and phone width.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { openBrowser, shot, text, waitText, untranslated, PHONE, assertNoSideScroll } from './browser.js';
import { DEMO, loginUi, pdfFile, raiseRealname } from './journey.js';

const BUNDLE = 'BND-QYKB';
const HAN = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;

/** Visible text in main with Chinese in it, each with where it is, minus the data in `mine`. */
async function chineseLeft(page, mine) {
  const found = await page.evaluate((src) => {
    const han = new RegExp(src);
    const out = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent.trim();
      const el = n.parentElement;
      if (!t || !han.test(t) || !el || el.offsetParent === null) continue;
      if (el.closest('[hidden], script, style, option:not(:checked)')) continue;
      const where = [el.tagName.toLowerCase(), el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : '',
        el.closest('[data-testid]') ? `@${el.closest('[data-testid]').getAttribute('data-testid')}` : ''].join('');
      out.push(`${where}: ${t}`);
    }
    return out;
  }, HAN.source);
  return found.filter((x) => !mine.some((m) => x.endsWith(`: ${m}`) || x.includes(m)));
}

/** An English value for a form field a person types (the choice: its first option). */
function value(f) {
  switch (f.type) {
    case 'date': return '2026-06-01';
    case 'number': return '120';
    case 'id_number': return DEMO.citizen;
    case 'uscc': return DEMO.company;
    case 'address': return '336 North Caoxi Road, Xuhui District';
    case 'phone': return '13800138000';
    default: return `Sample ${f.label_en || f.key}`.slice(0, 40);
  }
}

for (const [label, viewport] of [['desktop', undefined], ['phone', PHONE]]) {
  describe(`企业开办 in English at ${label} width: nothing Chinese-only where the company reads`, () => {
    let srv;
    let b;
    let items;
    const mine = [DEMO.companyName, DEMO.citizenName];

    before(async () => {
      srv = await startPortal();
      b = await openBrowser();
      const r = await srv.api('GET', `/api/v1/bundles/${BUNDLE}`);
      items = [];
      for (const s of r.json.steps) for (const it of s.items) items.push((await srv.api('GET', `/api/v1/items/${it.code}`)).json);
      await raiseRealname(srv, DEMO.company, Math.max(...items.map((i) => Number(i.realname_level) || 1)));
    });
    after(async () => {
      await b?.close();
      await srv?.close();
    });

    test('guide, form, materials, confirmation, submission and case page in English', async () => {
      const page = await b.page(viewport);
      /* everything Chinese-only seen on the way, reported at the end all at once */
      const left = [];
      const check = async (where) => left.push(...(await chineseLeft(page, mine)).map((x) => `${where} | ${x}`));
      await page.goto(`${srv.base}/bundle.html?code=${BUNDLE}`);
      await page.evaluate(() => localStorage.setItem('ywtb.lang', 'en'));
      await page.reload();
      await waitText(page, '[data-testid=bundle-name]', /Starting a Business/);
      await check('the bundle guide');
      for (const it of items) assert.ok(await page.getByText(it.name_en, { exact: true }).count() >= 1, `${it.code} listed as ${it.name_en}`);

      await page.getByTestId('apply-login').click();
      await check('the login page');
      await loginUi(page, srv, DEMO.company, { here: true });
      await page.waitForURL(new RegExp(`/apply\\.html\\?bundle=${BUNDLE}$`));
      await waitText(page, '[data-testid=apply-title]', /Starting a Business/);

      // 1: the one form - labels, hints and options in English; prefilled values are the company's
      await page.locator('[data-testid=form-fields] .field').first().waitFor();
      const typed = [];
      const fields = [];
      for (const it of items) for (const f of it.form || []) if (!fields.some((x) => x.key === f.key)) fields.push(f);
      for (const f of fields) {
        const wrap = page.locator(`[data-testid=form-fields] [data-field="${f.key}"]`);
        const input = wrap.locator('input, select, textarea').first();
        if ((await input.getAttribute('readonly')) !== null) {
          typed.push(await input.inputValue());
          continue;
        }
        if (f.type === 'choice') {
          await input.selectOption(f.options[0]);
          typed.push(f.options[0]);
        } else {
          await input.fill(value(f));
        }
      }
      mine.push(...typed.filter((x) => HAN.test(x)));
      await check('the form step');
      assert.deepEqual(await untranslated(page), []);
      await shot(page, `bundle-en-1-form-${label}`);
      await page.getByTestId('wiz-next').click();

      // 2: the materials - names, states and hints in English
      await page.locator('[data-testid=mats-box][data-checked=true]').waitFor();
      await check('the materials step');
      const n = await page.locator('.mat-card[data-state=missing]').count();
      assert.ok(n > 0 && n <= 7, `${n} materials to upload`);
      for (let i = 0; i < n; i++) {
        const card = page.locator('.mat-card[data-state=missing]').first();
        const code = await card.getAttribute('data-code');
        await card.locator('input[type=file]').setInputFiles(pdfFile(code));
        await page.locator(`.mat-card[data-code="${code}"][data-state=file]`).waitFor();
      }
      await waitText(page, '[data-testid=missing-live]', /All required materials/i);
      await check('the materials step, uploaded');
      await shot(page, `bundle-en-2-materials-${label}`);
      await page.getByTestId('wiz-next').click();

      // 3: the confirmation
      await page.getByTestId('confirm').waitFor();
      await check('the confirmation');
      if (viewport) await assertNoSideScroll(page);
      await shot(page, `bundle-en-3-confirm-${label}`);
      await page.getByTestId('wiz-submit').click();
      await page.getByTestId('submitted').waitFor();
      await check('the submission');
      const caseNo = await text(page, '[data-testid=result] [data-testid=case-no]');

      // the case page
      await page.getByTestId('result').getByRole('link').first().click();
      await page.waitForURL(new RegExp(`/case\\.html\\?no=${caseNo}$`));
      await page.getByTestId('progress').waitFor();
      await check('the case page');
      assert.deepEqual(await untranslated(page), []);
      await shot(page, `bundle-en-4-case-${label}`);
      assert.deepEqual(left, [], `Chinese-only text in the English walk:\n${left.join('\n')}`);
      b.assertClean(page);
      await page.close();
    });
  });
}
