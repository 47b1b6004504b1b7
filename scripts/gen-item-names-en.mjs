#!/usr/bin/env node
// scripts/gen-item-names-en.mjs - the English names of the service items
// (issue 15): data/catalog/item_names_en.json, made by rule from the Chinese
// item names in data/catalog/items.json and the glossary (scripts/names-en/); and of their
// materials and the materials' conditions (material_names_en.json), the same
// way with more words.
//
//   node scripts/gen-item-names-en.mjs           write the file
//   node scripts/gen-item-names-en.mjs --check   exit 1 when the file is stale
//                                                or an item is not translated
//
// Chinese item names (政务服务事项名称) are built from a small vocabulary:
// what it concerns (企业, 食品经营, 不动产 ...), what is done (设立登记,
// 许可, 备案, 审批, 申领 ...) and a variant in brackets （新办）（变更）（延续）
// （注销）（补证）.  The glossary maps each word - or, for the few names that
// do not decompose, the whole phrase - to its English, and a name is cut into
// glossary words by longest match from the left.  Chinese noun phrases put
// the head last, as English does, so the words keep their order ("食品经营
// 许可（注销）" -> "Food Business Permit (Deregistration)"); a word written
// "mid|lead" takes its lead form when it opens the name ("补领结婚证" ->
// "Replacement of ...").  Brackets become brackets, "、" becomes "and" (a
// list of three: "A, B and C"), and the result is set in title case.
// Every item must come out with no Chinese left: the script fails and names
// the words it could not translate otherwise; the seed (src/catalog/seed.c)
// refuses an item without an English name, and tests/api/catalog_en.test.js
// checks every item the server serves.
//
// Deterministic, no npm dependencies.  The catalog's seed reads the file.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ITEMS = join(ROOT, 'data', 'catalog', 'items.json');
const OUT = join(ROOT, 'data', 'catalog', 'item_names_en.json');
const MAT_OUT = join(ROOT, 'data', 'catalog', 'material_names_en.json');
const LTYPES = join(ROOT, 'data', 'catalog', 'license_types.json');
const BUNDLES = join(ROOT, 'data', 'catalog', 'bundles.json');

// The glossary: scripts/names-en/glossary-items.txt, zh=en or zh=mid|lead, one per line
const GLOSSARY = readFileSync(join(ROOT, 'scripts', 'names-en', 'glossary-items.txt'), 'utf8');

// The materials (申请材料): whole names and words beyond the items' glossary
// and the e-license types' own English names (license_types.json).  Unlike the
// items, not every one of the 1,370 material names is covered yet: a name
// the words do not cover whole gets no English name (the portal shows the
// Chinese one), but every material of a bundle must be covered.
const MATERIAL_GLOSSARY = readFileSync(join(ROOT, 'scripts', 'names-en', 'glossary-materials.txt'), 'utf8');

const HAN = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]/;
function parseGlossary(text, into = new Map()) {
  const own = new Set();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    const zh = line.slice(0, eq), en = line.slice(eq + 1);
    if (own.has(zh)) throw new Error(`glossary: ${zh} twice`);
    own.add(zh);
    const [mid, lead] = en.split('|');
    into.set(zh, { mid, lead: lead || mid });
  }
  return into;
}
const gloss = parseGlossary(GLOSSARY);
let longest = Math.max(...[...gloss.keys()].map((k) => k.length));
const PUNCT = { '（': '(', '）': ')', '、': '、', '“': '"', '”': '"' };
const SMALL = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with', 'within', 'after', 'other', 'than']);

// Cut a Chinese name into glossary words; the characters no word covers go to missing.
function translate(name, used, missing, words, title = true) {
  const out = [];
  let i = 0, gap = '';
  while (i < name.length) {
    let hit = null;
    for (let n = Math.min(longest, name.length - i); n > 0; n--) {
      const w = name.slice(i, i + n);
      if (words.has(w)) { hit = w; break; }
    }
    if (hit) {
      if (gap) { missing.add(gap); gap = ''; }
      used.add(hit);
      const g = words.get(hit);
      out.push({ w: out.length === 0 ? g.lead : g.mid });
      i += hit.length;
    } else if (PUNCT[name[i]]) {
      if (gap) { missing.add(gap); gap = ''; }
      out.push({ p: PUNCT[name[i]] });
      i++;
    } else {
      gap += name[i++];
    }
  }
  if (gap) missing.add(gap);
  // join: words by spaces; "(" opens, ")" closes; "、" is "and"; a quote hugs its word
  let s = '';
  let quoteOpen = false;
  for (const t of out) {
    if (t.w !== undefined) s += (s && !s.endsWith('(') && !(quoteOpen && s.endsWith('"')) ? ' ' : '') + t.w;
    else if (t.p === '(') s += (s ? ' ' : '') + '(';
    else if (t.p === ')') s += ')';
    else if (t.p === '、') s += ' and';
    else if (t.p === '"') { s += quoteOpen ? '"' : (s ? ' ' : '') + '"'; quoteOpen = !quoteOpen; }
  }
  s = s.replace(/(\w[^()]*?) and ([^()]*?) and /g, '$1, $2 and ').replace(/\b(application) application form\b/gi, '$1 form');
  return title ? titleCase(s) : s;
}

function titleCase(s) {
  let first = true;
  return s.replace(/\p{L}[\p{L}'-]*/gu, (w, at) => {
    const lower = w.toLowerCase();
    const opensBracket = at > 0 && (s[at - 1] === '(' || s[at - 1] === '"');
    const keep = /[A-Z].*[A-Z]/.test(w) || /^[A-Z]{2,}/.test(w); // VAT, SME, III, R&D
    let r;
    if (keep) r = w;
    else if (!first && !opensBracket && SMALL.has(lower)) r = lower;
    else r = w[0].toUpperCase() + w.slice(1);
    first = false;
    return r;
  });
}

const items = JSON.parse(readFileSync(ITEMS, 'utf8'));
const used = new Set(), missing = new Set();
const names = {};
for (const it of items) names[it.name] = translate(it.name, used, missing, gloss);
const failures = [];
for (const [zh, en] of Object.entries(names))
  if (!en || HAN.test(en)) failures.push(`${zh} -> ${en}`);
for (const m of missing) failures.push(`no glossary word for "${m}"`);
for (const w of gloss.keys()) if (!used.has(w)) failures.push(`glossary word ${w} is used by no item`);
// materials: the items' words, the e-license types' names, then the materials' own
const matGloss = new Map(gloss);
for (const t of JSON.parse(readFileSync(LTYPES, 'utf8'))) matGloss.set(t.name, { mid: t.name_en, lead: t.name_en });
parseGlossary(MATERIAL_GLOSSARY, matGloss);
longest = Math.max(...[...matGloss.keys()].map((k) => k.length));
const matNames = {}, condNames = {};
const inBundles = new Set(JSON.parse(readFileSync(BUNDLES, 'utf8')).flatMap((b) => b.steps.flatMap((st) => st.items)));
let matTotal = 0, matDone = 0;
for (const it of items) {
  for (const m of it.materials) {
    const miss = new Set();
    const en = translate(m.name, new Set(), miss, matGloss);
    matTotal++;
    if (!miss.size && !HAN.test(en)) {
      matNames[m.name] = en;
      matDone++;
    } else if (inBundles.has(it.code)) {
      failures.push(`bundle material ${it.code} ${m.code} "${m.name}": no words for ${[...miss].join(', ')}`);
    }
    if (m.condition) {
      const cm = new Set();
      const ce = translate(m.condition, new Set(), cm, matGloss, false);
      if (!cm.size && !HAN.test(ce)) condNames[m.condition] = ce;
      else if (inBundles.has(it.code)) failures.push(`bundle material ${it.code} ${m.code}: condition "${m.condition}" not covered`);
    }
  }
}
if (failures.length) {
  console.error(`${failures.length} problem(s):`);
  for (const f of failures.slice(0, 80)) console.error('  - ' + f);
  process.exit(1);
}
const obj = (o, indent = '  ') => '{\n' + Object.entries(o).map(([zh, en]) => `${indent}${JSON.stringify(zh)}: ${JSON.stringify(en)}`).join(',\n') + `\n${indent.slice(2)}}`;
const files = {
  [OUT]: obj(names) + '\n',
  [MAT_OUT]: `{\n  "materials": ${obj(matNames, '    ')},\n  "conditions": ${obj(condNames, '    ')}\n}\n`,
};
const summary = `${items.length} items from ${gloss.size} glossary words; materials: ${matDone} of ${matTotal} named in English ` +
  `(${Object.keys(matNames).length} distinct names, ${Object.keys(condNames).length} conditions), every bundle material included`;
if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [f, text] of Object.entries(files)) {
    let cur = '';
    try { cur = readFileSync(f, 'utf8'); } catch { /* missing */ }
    if (cur !== text) { console.error(`stale: ${f.slice(ROOT.length + 1)}`); stale++; }
  }
  if (stale) process.exit(1);
  console.log(`English names up to date: ${summary}`);
} else {
  for (const [f, text] of Object.entries(files)) writeFileSync(f, text);
  console.log(`wrote data/catalog/item_names_en.json and material_names_en.json: ${summary}`);
}
