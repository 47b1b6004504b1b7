#!/usr/bin/env node
// scripts/check-modules.mjs - the module rules of docs/ARCHITECTURE.md, checked
// over src/ so that they hold in the code and not only in comments.
//
//   node scripts/check-modules.mjs             exit 0 when every rule holds
//   node scripts/check-modules.mjs --root DIR  check another tree (the self-test
//                                              in tests/modules/ has one breach
//                                              of each rule)
//
// 1. Tables.  Each module's public header says which tables the module owns,
//    in its top comment: " * Tables <module> owns: accounts, sessions, ..."
//    up to the first full stop, over several lines if need be, parentheses
//    ignored (src/db/db.h for the core tables).  Every table a migration creates
//    (migrations/sqlite/) must have exactly one owner.
// 2. SQL.  A module's SQL (string literals in src/<module>/*.c that read as
//    SQL) names only the tables its module owns, except the pairs listed in
//    EXCEPTIONS below, each with its reason.
// 3. Includes.  core, db and http include no domain module; a domain module
//    includes another module only through its public header <m>/<m>.h, never
//    its internal.h; nothing outside src/cases/ includes cases/cases.h except
//    modules.c (other modules meet cases through core's events and providers);
//    main.c includes no domain module header.
// 4. Internal names.  A name with a double underscore after its module prefix
//    (yw_case__accept) is internal: no public header <m>/<m>.h declares one.
//
// Prints one line per breach and a summary; exits 1 on any breach.  Adding a
// module means adding its "Tables:" line; adding an exception means adding a
// row below with the reason, which reviewers read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootArg = process.argv.indexOf('--root');
const ROOT = rootArg > 0 ? path.resolve(process.argv[rootArg + 1])
                         : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');

// Folders under src/ that are not domain modules (the base the modules stand on).
const BASE = new Set(['core', 'db', 'http']);

// [module, file (relative to src/, or '*' for the whole module), table, reason]
const EXCEPTIONS = [
    ['seed', 'seed/scale.c', '*',
     'the Xuhui-scale generator writes a million cases with their accounts, tasks and audit rows in bulk; '
     + 'one statement per row through each module would take hours (docs/PERFORMANCE.md)'],
];

const breaches = [];
const breach = (msg) => breaches.push(msg);

function walk(dir, out = []) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p, out);
        else if (/\.[ch]$/.test(e.name)) out.push(p);
    }
    return out;
}

/* The tables every migration creates (SQLite's files; PostgreSQL's carry the
 * same names), and the one the migrator makes for itself. */
function migrationTables() {
    const dir = path.join(ROOT, 'migrations', 'sqlite');
    const tables = new Map();
    const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => path.join(dir, f));
    const migrate = path.join(SRC, 'db', 'migrate.c');
    if (fs.existsSync(migrate)) sources.push(migrate);
    for (const file of sources) {
        const f = path.relative(path.join(ROOT, 'migrations', 'sqlite'), file);
        const text = fs.readFileSync(file, 'utf8');
        for (const m of text.matchAll(/CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/gi))
            tables.set(m[1], f);
    }
    return tables;
}

/* module -> set of tables, from the "Tables:" line of each public header. */
function owners(modules) {
    const own = new Map();
    for (const m of modules) {
        const hdr = m === 'db' ? path.join(SRC, 'db', 'db.h') : path.join(SRC, m, `${m}.h`);
        if (!fs.existsSync(hdr)) continue;
        const text = fs.readFileSync(hdr, 'utf8');
        const at = text.search(/^\s*\*\s*Tables\b[^:\n]*:/m);
        if (at < 0) continue;
        let list = text.slice(at).replace(/^[^:]*:/, '');
        list = list.slice(0, list.search(/\.(\s|$)/)).replace(/\n\s*\*/g, ' ').replace(/\([^)]*\)/g, ' ');
        const set = new Set();
        for (const t of list.split(/[,\s]+/).filter(Boolean))
            if (t !== 'none' && t !== 'and') set.add(t);
        own.set(m, set);
    }
    return own;
}

/* C source without comments, and its string literals (adjacent ones kept apart). */
function literals(text) {
    const out = [];
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === '/' && text[i + 1] === '*') {
            const e = text.indexOf('*/', i + 2);
            i = e < 0 ? text.length : e + 2;
        } else if (c === '/' && text[i + 1] === '/') {
            const e = text.indexOf('\n', i);
            i = e < 0 ? text.length : e;
        } else if (c === "'") {
            i++;
            while (i < text.length && text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
            i++;
        } else if (c === '"') {
            let s = '';
            const line = text.slice(0, i).split('\n').length;
            i++;
            while (i < text.length && text[i] !== '"') {
                if (text[i] === '\\') { s += text[i + 1]; i += 2; } else s += text[i++];
            }
            i++;
            out.push({ s, line });
        } else i++;
    }
    return out;
}

const SQL_WORDS = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|FROM|JOIN|WHERE|VALUES|ON CONFLICT|RETURNING)\b/;

function isException(mod, rel, table) {
    return EXCEPTIONS.some(([m, f, t]) => m === mod && (f === '*' || f === rel) && (t === '*' || t === table));
}

const files = walk(SRC);
const modules = [...new Set(files.map((f) => path.relative(SRC, f).split(path.sep)).filter((p) => p.length > 1).map((p) => p[0]))];
const tables = migrationTables();
const own = owners(modules);

// 1. one owner per table
const ownerOf = new Map();
for (const [m, set] of own)
    for (const t of set) {
        if (!tables.has(t)) breach(`src/${m === 'db' ? 'db/db.h' : `${m}/${m}.h`}: owns '${t}', which no migration creates`);
        else if (ownerOf.has(t)) breach(`table '${t}' is claimed by both ${ownerOf.get(t)} and ${m}`);
        else ownerOf.set(t, m);
    }
for (const [t, f] of tables)
    if (!ownerOf.has(t)) breach(`table '${t}' (migrations/sqlite/${f}) has no owner: add it to a module header's "Tables:" line`);

// 2. SQL names only the module's own tables
const tableRe = new RegExp(`\\b(${[...tables.keys()].sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');
let sqlLiterals = 0;
for (const f of files) {
    const rel = path.relative(SRC, f).split(path.sep).join('/');
    const parts = rel.split('/');
    const mod = parts.length > 1 ? parts[0] : 'main';
    if (!f.endsWith('.c')) continue;
    for (const { s, line } of literals(fs.readFileSync(f, 'utf8'))) {
        if (!SQL_WORDS.test(s)) continue;
        sqlLiterals++;
        for (const m of s.matchAll(tableRe)) {
            const t = m[1];
            const o = ownerOf.get(t);
            if (!o || o === mod || isException(mod, rel, t)) continue;
            breach(`src/${rel}:${line}: ${mod} names ${o}'s table '${t}' in SQL (read it through ${o}'s header)`);
        }
    }
}

// 3. includes
const domain = new Set(modules.filter((m) => !BASE.has(m)));
for (const f of files) {
    const rel = path.relative(SRC, f).split(path.sep).join('/');
    const parts = rel.split('/');
    const mod = parts.length > 1 ? parts[0] : null;
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
        const inc = m[1];
        const [im, file] = inc.split('/');
        if (!file || !domain.has(im) || im === mod) continue;
        if (mod && BASE.has(mod)) breach(`src/${rel}: ${mod} is below the modules and includes "${inc}"`);
        else if (file !== `${im}.h`) breach(`src/${rel}: includes "${inc}", another module's internal header`);
        else if (im === 'cases' && rel !== 'modules.c') breach(`src/${rel}: includes cases/cases.h (meet cases through core's events and providers)`);
        else if (rel === 'main.c') breach(`src/main.c: names the module '${im}' (main only knows modules.h)`);
    }
}

// 4. internal names stay out of public headers
for (const f of files) {
    const rel = path.relative(SRC, f).split(path.sep).join('/');
    const parts = rel.split('/');
    if (parts.length !== 2 || parts[1] !== `${parts[0]}.h`) continue;
    const text = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of text.matchAll(/\b(yw_[a-z0-9]+__[a-z0-9_]+)\b/g))
        breach(`src/${rel}: the public header declares the internal name '${m[1]}'`);
}

for (const b of breaches) console.log(`check-modules: ${b}`);
console.log(`check-modules: ${tables.size} tables, ${own.size} owners, ${sqlLiterals} SQL literals in ${files.length} files: `
    + (breaches.length ? `${breaches.length} breach(es)` : 'ok'));
process.exit(breaches.length ? 1 : 0);
