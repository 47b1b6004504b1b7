// file_fixtures.js - files the upload tests make: real small PDF, PNG, JPEG and
// OFD files, and the broken ones that only start like them (issue 16, item 7).
// Not a test file itself: node --test only runs *.test.js here.
//
// Uploads are checked for their structure (src/files/check.c), so a fixture
// that is to be accepted must be a real file of its type: a PDF with its
// cross-reference table, a PNG with image data, a JPEG with a scan.
import zlib from 'node:zlib';

/* ---- CRC-32 (PNG chunks, ZIP entries) ---- */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/* ---- PDF ---- */

/**
 * A valid one-page PDF (ISO 32000: header, objects, cross-reference table,
 * trailer) whose text says `tag`, so every tag gives other bytes.  padding:
 * that many bytes more, in an unreferenced stream object (a large file that
 * is still a PDF).
 */
export function pdf(tag = 'ywtb', padding = 0) {
  const text = String(tag).replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const content = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  if (padding > 0) objects.push(`<< /Length ${padding} >>\nstream\n${' '.repeat(padding)}\nendstream`);
  const parts = ['%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'];
  let length = Buffer.byteLength(parts[0], 'latin1');
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(length);
    const s = `${i + 1} 0 obj\n${o}\nendobj\n`;
    parts.push(s);
    length += Buffer.byteLength(s, 'latin1');
  });
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) tail += `${String(o).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(tail);
  return Buffer.from(parts.join(''), 'latin1');
}

/** A valid PDF of exactly `size` bytes (at least about 700), distinct per tag. */
export function pdfOfSize(size, tag = 'ywtb') {
  const base = pdf(tag).length + 64; // the padding object's own bytes, roughly
  let padding = Math.max(1, size - base);
  for (let i = 0; i < 8; i++) {
    const got = pdf(tag, padding).length;
    if (got === size) return pdf(tag, padding);
    padding += size - got;
  }
  throw new Error(`cannot make a PDF of ${size} bytes`);
}

/* ---- PNG ---- */

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A PNG of w x h RGB pixels (PNG spec: signature, IHDR, IDAT, IEND).  noise:
 * random pixels, so the image data does not compress away.  claim: the
 * [width, height] IHDR states instead of the real ones.
 */
export function png(w = 1, h = 1, { noise = false, claim } = {}) {
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3); // filter byte 0, then RGB
    for (let i = 1; i < row.length; i++) row[i] = noise ? Math.floor(Math.random() * 256) : (y * 7 + i) & 0xff;
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(claim ? claim[0] : w, 0);
  ihdr.writeUInt32BE(claim ? claim[1] : h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/* ---- JPEG ---- */

/**
 * A baseline greyscale JPEG (ITU T.81) of w x h pixels, every 8x8 block flat:
 * one quantization table, one-code Huffman tables (DC category 0, AC end of
 * block), so each block is two bits of scan data.  claim: the [width, height]
 * the frame header states instead.
 */
export function jpeg(w = 16, h = 16, { claim } = {}) {
  const seg = (marker, body) => {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(body.length + 2);
    return Buffer.concat([Buffer.from([0xff, marker]), len, body]);
  };
  const sof = Buffer.alloc(9);
  sof[0] = 8; // precision
  sof.writeUInt16BE(claim ? claim[1] : h, 1);
  sof.writeUInt16BE(claim ? claim[0] : w, 3);
  sof[5] = 1; // components
  sof[6] = 1; // id
  sof[7] = 0x11; // sampling
  sof[8] = 0; // quantization table
  const oneCode = (tc) => Buffer.concat([Buffer.from([tc]), Buffer.from([1, ...Array(15).fill(0)]), Buffer.from([0])]);
  const blocks = Math.ceil(w / 8) * Math.ceil(h / 8);
  const bits = 2 * blocks; // '0' (DC diff 0) + '0' (EOB) per block
  const scan = Buffer.alloc(Math.ceil(bits / 8), 0);
  if (bits % 8) scan[scan.length - 1] = (1 << (8 - (bits % 8))) - 1; // pad with 1-bits
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])), // JFIF
    seg(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    seg(0xc0, sof),
    seg(0xc4, oneCode(0x00)),
    seg(0xc4, oneCode(0x10)),
    seg(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    scan,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/* ---- ZIP and OFD ---- */

/**
 * A ZIP archive (APPNOTE 6.3): entries [name, content, { deflate, claimSize }]
 * with local headers, the central directory and its end record.  deflate:
 * compress the entry (method 8); claimSize: the uncompressed size the
 * headers state instead of the real one (a ZIP bomb that lies).
 */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content, opts = {}] of entries) {
    const n = Buffer.from(name);
    const data = Buffer.from(content);
    const stored = opts.deflate ? zlib.deflateRawSync(data, { level: 9 }) : data;
    const method = opts.deflate ? 8 : 0;
    const crc = crc32(data);
    const size = opts.claimSize ?? data.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4); // version needed
    lh.writeUInt16LE(0, 6); // flags
    lh.writeUInt16LE(method, 8);
    lh.writeUInt16LE(0, 10); // time
    lh.writeUInt16LE(0x5b38, 12); // date 2025-09-24
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(stored.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(n.length, 26);
    lh.writeUInt16LE(0, 28);
    const local = Buffer.concat([lh, n, stored]);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt16LE(0, 12);
    ch.writeUInt16LE(0x5b38, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(stored.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    centrals.push(Buffer.concat([ch, n]));
    locals.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const OFD_XML = '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>';

/** A small OFD package (GB/T 33190): OFD.xml at the root and one document. */
export function ofd({ deflate = false } = {}) {
  return zip([
    ['OFD.xml', OFD_XML, { deflate }],
    ['Doc_0/Document.xml', '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>', { deflate }],
  ]);
}
