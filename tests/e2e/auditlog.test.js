// auditlog.test.js - the public page of the audit log's signed tree heads
// (auditlog.html, issue 17), reached from every page's footer: nothing sealed
// yet says so; after `ywtb audit seal` the latest head, the public key and the
// heads so far show, and a record's inclusion proof is asked for by its
// number (an unknown number, a record not yet sealed and a malformed number
// are each told apart).  Chinese first, then English.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortal } from './server.js';
import { cli } from '../api/harness.js';
import { openBrowser, shot, text, waitText, untranslated, PHONE, assertNoSideScroll } from './browser.js';

describe('the audit log transparency page', () => {
  let srv;
  let b;
  before(async () => {
    srv = await startPortal({ args: ['--audit-seal-seconds', '0'] });
    b = await openBrowser();
  });
  after(async () => {
    await b?.close();
    await srv?.close();
  });
  const seal = () => {
    const r = cli(['audit', 'seal', '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  };

  test('from the footer; no head yet, then the sealed head, the key and a proof', async () => {
    const page = await b.page();
    await page.goto(`${srv.base}/index.html`);
    await page.getByTestId('footer-auditlog').click();
    await page.waitForURL(/auditlog\.html/);
    await page.getByTestId('al-none').waitFor();
    assert.match(await text(page, '[data-testid=al-none]'), /尚未生成签名树头/);

    seal();
    const sth = (await srv.api('GET', '/api/v1/public/audit/sth')).json;
    await page.reload();
    await page.getByTestId('al-sth').waitFor();
    assert.equal(await text(page, '[data-testid=al-size]'), String(sth.tree_size));
    assert.equal(await text(page, '[data-testid=al-root]'), sth.root_hash);
    assert.match(await text(page, '[data-testid=al-pem]'), /BEGIN PUBLIC KEY/);
    assert.match(await text(page, '[data-testid=al-heads]'), new RegExp(sth.root_hash.slice(0, 16)));
    assert.deepEqual(await untranslated(page), []);
    await shot(page, 'auditlog-zh');

    // a record of the tree: its proof
    await page.getByTestId('al-seq').fill('1');
    await page.getByTestId('al-prove').click();
    await page.getByTestId('al-leaf').waitFor();
    const proof = (await srv.api('GET', '/api/v1/public/audit/proof/inclusion?seq=1')).json;
    assert.equal(await text(page, '[data-testid=al-leaf]'), String(proof.leaf_index));
    assert.equal(await page.locator('[data-testid=al-path] li').count(), proof.audit_path.length);
    // unknown, malformed
    await page.getByTestId('al-seq').fill('999999999');
    await page.getByTestId('al-prove').click();
    await waitText(page, '[data-testid=al-proof]', /没有这条审计记录/);
    await page.getByTestId('al-seq').fill('1x');
    await page.getByTestId('al-prove').click();
    await waitText(page, '[data-testid=al-proof]', /正整数/);
    // a record written after the seal (a login is audited): not yet in a signed tree
    await srv.login('admin');
    await page.getByTestId('al-seq').fill(String(sth.tree_size + 1));
    await page.getByTestId('al-prove').click();
    await waitText(page, '[data-testid=al-proof]', /尚未封存/);
  });

  test('in English, and on a phone', async () => {
    const page = await b.page(PHONE);
    await page.goto(`${srv.base}/favicon.svg`);
    await page.evaluate(() => localStorage.setItem('ywtb.lang', 'en'));
    await page.goto(`${srv.base}/auditlog.html`);
    await page.getByTestId('al-sth').waitFor();
    assert.equal(await text(page, 'h1'), 'Audit log transparency');
    assert.deepEqual(await untranslated(page), []);
    await assertNoSideScroll(page);
    await shot(page, 'auditlog-en-phone');
  });
});
