// tests/e2e/browser.js - Debian's chromium driven by playwright-core, one
// fresh profile per test file, and the checks every page gets.
//
//   const b = await openBrowser();           // b.context (persistent, fresh --user-data-dir)
//   const page = await b.page(srv, { width: 360, height: 740 });
//   await page.goto(srv.base + '/');
//   ...
//   b.assertClean(page);                      // no script error, no CSP violation
//   await b.close();
//
// Screenshots go to <repo>/test-results/e2e/ (git-ignored).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO } from './server.js';

export const CHROMIUM = process.env.YWTB_CHROMIUM || '/usr/bin/chromium';
export const RESULTS = path.join(REPO, 'test-results', 'e2e');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

export async function openBrowser(opts = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ywtb-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: opts.viewport || DESKTOP,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15000);
  fs.mkdirSync(RESULTS, { recursive: true });
  const problems = new WeakMap();

  return {
    context,

    /** A new tab at this viewport, watched for script errors and CSP violations. */
    async page(viewport = opts.viewport || DESKTOP) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      const list = [];
      problems.set(page, list);
      page.on('pageerror', (e) => list.push(`uncaught: ${e.message}`));
      page.on('console', (m) => {
        const text = m.text();
        if (/Content Security Policy|Refused to (apply|execute|load)/i.test(text)) list.push(`csp: ${text}`);
        else if (m.type() === 'error' && !/Failed to load resource/.test(text)) list.push(`console: ${text}`);
      });
      return page;
    },

    /** Fail if the page threw, logged an error or broke the Content-Security-Policy. */
    assertClean(page) {
      assert.deepEqual(problems.get(page) || [], [], 'the page had script errors or CSP violations');
    },

    /** Forget the session and the language choice. */
    async reset() {
      await context.clearCookies();
      for (const p of context.pages()) {
        try {
          await p.evaluate(() => localStorage.clear());
        } catch {
          /* about:blank */
        }
      }
    },

    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Save a full-page screenshot as test-results/e2e/NAME.png. */
export async function shot(page, name) {
  const file = path.join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Text of the first element matching, after it appears. */
export async function text(page, selector) {
  const loc = page.locator(selector).first();
  await loc.waitFor();
  return (await loc.innerText()).trim();
}

/** Wait until the element's text matches re; returns the text (fails with the last text seen). */
export async function waitText(page, selector, re, timeout = 15000) {
  try {
    await page.waitForFunction(
      ([sel, src, flags]) => {
        const el = document.querySelector(sel);
        return !!el && new RegExp(src, flags).test(el.textContent);
      },
      [selector, re.source, re.flags],
      { timeout },
    );
  } catch (e) {
    const seen = await page.locator(selector).first().textContent().catch(() => '(no element)');
    assert.fail(`${selector} never matched ${re}: it says ${JSON.stringify(seen)}`);
  }
  return text(page, selector);
}

/** Every data-i18n key on the page whose text is still the key itself (a missing translation). */
export function untranslated(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('[data-i18n]'))
    .filter((el) => el.textContent.trim() === el.getAttribute('data-i18n'))
    .map((el) => el.getAttribute('data-i18n')));
}

/** The document is no wider than the viewport (nothing forces sideways scrolling). */
export async function assertNoSideScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px viewport`);
}

/* Test data: identity numbers and credit codes computed here, independently of the page's cnid.js. */

/** A GB 11643 number: 17 digits + MOD 11-2 check character. */
export function idNumber(body17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[i]) * w[i];
  return body17 + '10X98765432'[s % 11];
}

/** The same number with its check character replaced by a wrong one. */
export function badCheck(id) {
  const right = id[17];
  const wrong = right === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}

const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A GB 32100 code: authority+category (2), region (6), 8-char org body; both checks computed. */
export function uscc(prefix2, region6, org8) {
  const ow = [3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 8; i++) s += parseInt(org8[i], 36) * ow[i];
  const c9 = 11 - (s % 11);
  const body = `${prefix2}${region6}${org8}${c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9)}`;
  let t = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    t += USCC.indexOf(body[i]) * w;
    w = (w * 3) % 31;
  }
  return body + USCC[(31 - (t % 31)) % 31];
}
