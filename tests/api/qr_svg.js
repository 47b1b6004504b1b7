// qr_svg.js - read back the QR code SVG the server draws (GET
// /api/v1/licenses/{id}/qr.svg, src/pdf/marks.c yw_pdf_qr_svg): check that the
// document is well-formed XML of the expected shape and turn its path into the
// symbol's modules, so tests can compare them with libqrencode's.
//
//   import { readQrSvg } from './qr_svg.js';
//   const { modules, matrix } = readQrSvg(text);   // matrix: rows of 0/1, modules x modules
import assert from 'node:assert/strict';

const QUIET = 4; /* modules of quiet zone, ISO/IEC 18004 §7.3.7 */

/** Throw unless `text` is well-formed XML (one root; tags nest; attributes quoted and unique). */
export function assertWellFormedXml(text) {
  let s = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack = [];
  let roots = 0;
  const NAME = '[A-Za-z_][\\w.:-]*';
  const OPEN = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
  while (s.length) {
    const close = new RegExp(`^</(${NAME})\\s*>`).exec(s);
    const open = OPEN.exec(s);
    if (close) {
      assert.equal(stack.pop(), close[1], `</${close[1]}> closes what was opened`);
      s = s.slice(close[0].length);
    } else if (open) {
      const names = [...open[2].matchAll(new RegExp(`(${NAME})\\s*=`, 'g'))].map((m) => m[1]);
      assert.equal(new Set(names).size, names.length, `<${open[1]}> repeats an attribute`);
      if (stack.length === 0) roots++;
      if (!open[3]) stack.push(open[1]);
      s = s.slice(open[0].length);
    } else {
      const txt = /^[^<]+/.exec(s);
      assert.ok(txt, `not XML at: ${s.slice(0, 40)}`);
      assert.ok(stack.length > 0 || /^\s+$/.test(txt[0]), 'text outside the root element');
      assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(txt[0]), 'a bare & in text');
      s = s.slice(txt[0].length);
    }
  }
  assert.equal(stack.length, 0, `unclosed: ${stack.join(', ')}`);
  assert.equal(roots, 1, 'one root element');
}

/** The QR symbol of the server's SVG: { modules, matrix } (rows of 0/1 without the quiet zone). */
export function readQrSvg(text) {
  assertWellFormedXml(text);
  const svg = /<svg\s([^>]*)>/.exec(text);
  assert.ok(svg, 'an <svg> root');
  const attr = (name) => new RegExp(`\\s?${name}="([^"]*)"`).exec(` ${svg[1]}`)?.[1];
  assert.equal(attr('xmlns'), 'http://www.w3.org/2000/svg');
  const modules = Number(attr('data-modules'));
  assert.ok(modules >= 21 && modules <= 177 && (modules - 17) % 4 === 0, `a QR symbol of ${modules} modules`);
  const n = modules + 2 * QUIET;
  assert.equal(attr('viewBox'), `0 0 ${n} ${n}`, 'the symbol and its quiet zone, in modules');
  assert.match(text, new RegExp(`<rect width="${n}" height="${n}" fill="#fff"/>`), 'a white square under the symbol');
  const d = /<path fill="#000" d="([^"]*)"\/>/.exec(text);
  assert.ok(d, 'one black path');
  const matrix = Array.from({ length: modules }, () => new Array(modules).fill(0));
  const run = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/y;
  let pos = 0;
  while (pos < d[1].length) {
    run.lastIndex = pos;
    const m = run.exec(d[1]);
    assert.ok(m, `a run of dark modules at ${d[1].slice(pos, pos + 30)}`);
    const [x, y, w, back] = m.slice(1).map(Number);
    assert.equal(w, back, 'a run is a closed rectangle');
    assert.ok(x >= QUIET && y >= QUIET && x + w <= QUIET + modules && y < QUIET + modules, 'inside the quiet zone');
    for (let i = 0; i < w; i++) matrix[y - QUIET][x - QUIET + i] = 1;
    pos = run.lastIndex;
  }
  return { modules, matrix };
}

/** Throw unless the matrix has the three finder patterns of a QR symbol (ISO/IEC 18004 §6.3.3). */
export function assertFinderPatterns(matrix) {
  const n = matrix.length;
  for (const [ox, oy] of [[0, 0], [n - 7, 0], [0, n - 7]]) {
    for (let y = 0; y < 7; y++) {
      for (let x = 0; x < 7; x++) {
        const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
        assert.equal(matrix[oy + y][ox + x], ring === 2 ? 0 : 1, `finder pattern at ${ox},${oy}: module ${x},${y}`);
      }
    }
  }
}
