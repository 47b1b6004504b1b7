// qr.js - a small QR code encoder (ISO/IEC 18004) for the license pages: byte
// mode, error correction level M, versions 1-15 (up to 412 bytes: a check
// address is about 130), the mask with the lowest penalty.  No external
// library; the symbol is drawn as one SVG path, so it needs no inline style.
//
//   qrMatrix('https://…/verify.html?id=…')    rows of booleans (true = dark)
//   qrSvg(text, { label })                     an <svg> element with a quiet zone
//
// tests/e2e/qr.test.js checks the matrices module for module against
// libqrencode (the library the server's PDFs use) for every mask.

/* level M, versions 1..15: total codewords, EC codewords per block, blocks */
const TOTAL = [0, 26, 44, 70, 100, 134, 172, 196, 242, 292, 346, 404, 466, 532, 581, 655];
const EC_PER_BLOCK = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24];
const BLOCKS = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10];
const ALIGN = [[], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
  [6, 30, 54], [6, 32, 58], [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70]];
const MAX_VERSION = 15;

/* GF(256) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}
const mul = (a, b) => (a && b ? EXP[LOG[a] + LOG[b]] : 0);

/** The Reed-Solomon generator polynomial of degree n (coefficients, highest first, leading 1 left out). */
function generator(n) {
  let g = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array(g.length + 1).fill(0);
    for (let j = 0; j < g.length; j++) {
      next[j] ^= g[j];
      next[j + 1] ^= mul(g[j], EXP[i]);
    }
    g = next;
  }
  return g.slice(1);
}

function ecc(data, n) {
  const g = generator(n);
  const rem = new Array(n).fill(0);
  for (const b of data) {
    const f = b ^ rem.shift();
    rem.push(0);
    for (let i = 0; i < n; i++) rem[i] ^= mul(g[i], f);
  }
  return rem;
}

function utf8(text) {
  return Array.from(new TextEncoder().encode(text));
}

const dataCodewords = (v) => TOTAL[v] - EC_PER_BLOCK[v] * BLOCKS[v];
const countBits = (v) => (v < 10 ? 8 : 16);

/** The smallest version that holds n bytes. */
function versionFor(n) {
  for (let v = 1; v <= MAX_VERSION; v++) if (4 + countBits(v) + 8 * n <= dataCodewords(v) * 8) return v;
  throw new RangeError(`QR: ${n} bytes do not fit version ${MAX_VERSION}-M`);
}

/** The data and EC codewords, interleaved as they are placed. */
function codewords(bytes, v) {
  const bits = [];
  const put = (val, len) => {
    for (let i = len - 1; i >= 0; i--) bits.push((val >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, countBits(v));
  for (const b of bytes) put(b, 8);
  const cap = dataCodewords(v) * 8;
  put(0, Math.min(4, cap - bits.length));
  while (bits.length % 8) bits.push(0);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; data.length < dataCodewords(v); pad ^= 0xec ^ 0x11) data.push(pad);
  const nb = BLOCKS[v];
  const ecn = EC_PER_BLOCK[v];
  const shortLen = Math.floor(dataCodewords(v) / nb);
  const longCount = dataCodewords(v) % nb;
  const blocks = [];
  let k = 0;
  for (let i = 0; i < nb; i++) {
    const len = shortLen + (i >= nb - longCount ? 1 : 0);
    const d = data.slice(k, k + len);
    k += len;
    blocks.push({ d, e: ecc(d, ecn) });
  }
  const out = [];
  for (let i = 0; i <= shortLen; i++) for (const b of blocks) if (i < b.d.length) out.push(b.d[i]);
  for (let i = 0; i < ecn; i++) for (const b of blocks) out.push(b.e[i]);
  return out;
}

function mask(m, x, y) {
  switch (m) {
    case 0: return (x + y) % 2 === 0;
    case 1: return y % 2 === 0;
    case 2: return x % 3 === 0;
    case 3: return (x + y) % 3 === 0;
    case 4: return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0;
    case 5: return ((x * y) % 2) + ((x * y) % 3) === 0;
    case 6: return (((x * y) % 2) + ((x * y) % 3)) % 2 === 0;
    default: return (((x + y) % 2) + ((x * y) % 3)) % 2 === 0;
  }
}

/** A symbol of version v with mask m: function patterns, format and version information, the data. */
function build(v, words, m) {
  const size = 17 + 4 * v;
  const mod = Array.from({ length: size }, () => new Array(size).fill(false));
  const fn = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (x, y, dark) => {
    mod[y][x] = dark;
    fn[y][x] = true;
  };
  /* timing patterns, then finders with their separators */
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x < 0 || y < 0 || x >= size || y >= size) continue;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        set(x, y, d !== 2 && d !== 4);
      }
    }
  }
  /* alignment patterns, except where they would cover a finder */
  const al = ALIGN[v];
  for (let i = 0; i < al.length; i++) {
    for (let j = 0; j < al.length; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === al.length - 1) || (i === al.length - 1 && j === 0)) continue;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(al[i] + dx, al[j] + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
  /* format information (level M = 00) with the mask, twice, and the dark module */
  const fdata = (0 << 3) | m;
  let rem = fdata;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const fbits = ((fdata << 10) | rem) ^ 0x5412;
  const bit = (val, i) => ((val >>> i) & 1) !== 0;
  for (let i = 0; i <= 5; i++) set(8, i, bit(fbits, i));
  set(8, 7, bit(fbits, 6));
  set(8, 8, bit(fbits, 7));
  set(7, 8, bit(fbits, 8));
  for (let i = 9; i < 15; i++) set(14 - i, 8, bit(fbits, i));
  for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(fbits, i));
  for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(fbits, i));
  set(8, size - 8, true);
  /* version information (7 and up) */
  if (v >= 7) {
    let r = v;
    for (let i = 0; i < 12; i++) r = (r << 1) ^ ((r >>> 11) * 0x1f25);
    const vbits = (v << 12) | r;
    for (let i = 0; i < 18; i++) {
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, bit(vbits, i));
      set(b, a, bit(vbits, i));
    }
  }
  /* the codewords, two columns at a time in a zigzag from the bottom right; masked */
  let i = 0;
  const nbits = words.length * 8;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const up = ((right + 1) & 2) === 0;
        const y = up ? size - 1 - vert : vert;
        if (fn[y][x]) continue;
        const dark = i < nbits ? ((words[i >>> 3] >>> (7 - (i & 7))) & 1) === 1 : false;
        i++;
        mod[y][x] = dark !== mask(m, x, y);
      }
    }
  }
  return mod;
}

/** The penalty of a symbol (the four rules of ISO/IEC 18004 §7.8.3). */
function penalty(mod) {
  const size = mod.length;
  let p = 0;
  const line = (get) => {
    let score = 0;
    let run = 1;
    for (let i = 1; i <= size; i++) {
      if (i < size && get(i) === get(i - 1)) run++;
      else {
        if (run >= 5) score += 3 + run - 5;
        run = 1;
      }
    }
    /* 1:1:3:1:1 with four light modules on either side */
    for (let i = 0; i + 7 <= size; i++) {
      if (get(i) && !get(i + 1) && get(i + 2) && get(i + 3) && get(i + 4) && !get(i + 5) && get(i + 6)) {
        let before = true;
        let after = true;
        for (let k = 1; k <= 4; k++) {
          if (i - k >= 0 && get(i - k)) before = false;
          if (i + 6 + k < size && get(i + 6 + k)) after = false;
        }
        if (before || after) score += 40;
      }
    }
    return score;
  };
  for (let y = 0; y < size; y++) p += line((x) => mod[y][x]);
  for (let x = 0; x < size; x++) p += line((y) => mod[y][x]);
  let dark = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (mod[y][x]) dark++;
      if (x + 1 < size && y + 1 < size) {
        const c = mod[y][x];
        if (mod[y][x + 1] === c && mod[y + 1][x] === c && mod[y + 1][x + 1] === c) p += 3;
      }
    }
  }
  const total = size * size;
  const k = Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1;
  return p + Math.max(0, k) * 10;
}

/** The QR symbol of text (UTF-8, byte mode, level M) as rows of booleans.  opts.mask forces a mask (0-7). */
export function qrMatrix(text, opts = {}) {
  const bytes = utf8(text);
  const v = opts.version || versionFor(bytes.length);
  const words = codewords(bytes, v);
  if (opts.mask !== undefined) return build(v, words, opts.mask);
  let best = null;
  let bestScore = Infinity;
  for (let m = 0; m < 8; m++) {
    const mod = build(v, words, m);
    const s = penalty(mod);
    if (s < bestScore) {
      best = mod;
      bestScore = s;
    }
  }
  return best;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An <svg> of the symbol with a four-module quiet zone; opts.label names it for screen readers. */
export function qrSvg(text, opts = {}) {
  const mod = qrMatrix(text);
  const n = mod.length + 8;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${n} ${n}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('role', 'img');
  if (opts.label) svg.setAttribute('aria-label', opts.label);
  svg.setAttribute('data-modules', String(mod.length));
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', String(n));
  bg.setAttribute('height', String(n));
  bg.setAttribute('fill', '#fff');
  svg.append(bg);
  let d = '';
  for (let y = 0; y < mod.length; y++) {
    for (let x = 0; x < mod.length; x++) if (mod[y][x]) d += `M${x + 4} ${y + 4}h1v1h-1z`;
  }
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(path);
  return svg;
}
