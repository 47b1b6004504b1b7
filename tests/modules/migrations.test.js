// tests/modules/migrations.test.js - "migrations only add" (issue 17): during a
// rolling upgrade the previous version keeps serving on the schema the new
// version migrated (tests/scaleout/upgrade.test.js runs it), so a migration may add
// tables, columns, indexes and rows, never take away or reshape what the
// previous version reads or writes.  Every migration after the baseline, on
// both engines, is checked here for the statements that would break an old
// node:
//
//   DROP TABLE / VIEW / COLUMN / SEQUENCE / TYPE / FUNCTION   it reads them
//   RENAME of a table or a column                              it names them
//   ALTER COLUMN ... TYPE, SET NOT NULL                        it writes them
//   ADD COLUMN ... NOT NULL without a DEFAULT                  its INSERTs omit it
//
// DROP INDEX and DROP CONSTRAINT are allowed (they only loosen).  A migration
// that must do more - a table rebuilt under the same name with the same
// columns, as SQLite's way to change a constraint or 0029's partitioning -
// says why the previous version still works in a line
//   -- migrations-only-add: exempt: <why, at least 20 characters>
// and the reviewer checks the claim.  Migrations up to BASELINE landed before
// the rule and are not checked (0020 and 0029 rebuild tables).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASELINE = 34;
const EXEMPT = /^--\s*migrations-only-add:\s*exempt:\s*(.{20,})$/m;

/* The SQL without comments, string literals and dollar-quoted bodies, upper
 * case: one pass, so a quote inside a comment or a comment marker inside a
 * string is what it is. */
function strip(sql) {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? sql.length : e;
      out += ' ';
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? sql.length : e + 2;
      out += ' ';
    } else if (c === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      i = j + 1;
      out += "''";
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))[0];
      const e = sql.indexOf(tag, i + tag.length);
      i = e < 0 ? sql.length : e + tag.length;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out.toUpperCase();
}

/** The statements of sql that break a node of the previous version: [{ rule, statement }]. */
export function breaches(sql) {
  const found = [];
  for (const raw of strip(sql).split(';')) {
    const st = raw.replace(/\s+/g, ' ').trim();
    if (!st) continue;
    const hit = (rule) => found.push({ rule, statement: st.slice(0, 120) });
    if (/^DROP (TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE|TYPE|FUNCTION)\b/.test(st)) hit('drop');
    if (/^ALTER TABLE\b/.test(st)) {
      if (/\bDROP (COLUMN\b|(?!CONSTRAINT\b)(IF EXISTS )?[A-Z_"][A-Z0-9_"]*\s*(,|$|CASCADE|RESTRICT))/.test(st)) hit('drop column');
      if (/\bRENAME\b(?! CONSTRAINT\b)/.test(st)) hit('rename');
      if (/\bALTER (COLUMN )?[A-Z0-9_"]+ (SET DATA )?TYPE\b/.test(st)) hit('column type');
      if (/\bSET NOT NULL\b/.test(st)) hit('set not null');
      for (const add of st.split(/\bADD\b/).slice(1)) {
        const col = add.split(/,\s*(?=ADD\b|DROP\b|ALTER\b)/)[0];
        if (/^\s*(COLUMN )?(IF NOT EXISTS )?[A-Z0-9_"]+ /.test(col) &&
          !/^\s*(CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK)\b/.test(col) &&
          /\bNOT NULL\b/.test(col) && !/\bDEFAULT\b/.test(col))
          hit('not null without default');
      }
    }
  }
  return found;
}

function migrations(engine) {
  const dir = path.join(REPO, 'migrations', engine);
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .map((f) => ({ file: `migrations/${engine}/${f}`, n: Number(f.slice(0, 4)), sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

test('every migration after the baseline only adds, on both engines (or says why it may do more)', () => {
  const bad = [];
  let checked = 0;
  for (const engine of ['pg', 'sqlite']) {
    for (const m of migrations(engine)) {
      if (m.n <= BASELINE) continue;
      checked++;
      if (EXEMPT.test(m.sql)) continue;
      for (const b of breaches(m.sql)) bad.push(`${m.file}: ${b.rule}: ${b.statement}`);
    }
  }
  assert.deepEqual(bad, [], `a migration takes away what the previous version uses (docs/OPERATIONS.md, "Upgrading nodes one at a time"):\n${bad.join('\n')}`);
  // the baseline is a number that exists: the rule covers everything after it
  assert.ok(migrations('pg').some((m) => m.n === BASELINE), `no migration ${BASELINE}`);
  assert.ok(checked >= 0);
});

test('the check finds each kind of breach, and lets additions through', () => {
  const rules = (sql) => breaches(sql).map((b) => b.rule);
  assert.deepEqual(rules('DROP TABLE cases;'), ['drop']);
  assert.deepEqual(rules('drop view v_x; DROP FUNCTION f();'), ['drop', 'drop']);
  assert.deepEqual(rules('ALTER TABLE cases DROP COLUMN form;'), ['drop column']);
  assert.deepEqual(rules('ALTER TABLE cases DROP form;'), ['drop column']);
  assert.deepEqual(rules('ALTER TABLE cases RENAME TO cases_old;'), ['rename']);
  assert.deepEqual(rules('ALTER TABLE cases RENAME COLUMN form TO doc;'), ['rename']);
  assert.deepEqual(rules('ALTER TABLE cases ALTER COLUMN months TYPE bigint;'), ['column type']);
  assert.deepEqual(rules('ALTER TABLE cases ALTER COLUMN phone SET NOT NULL;'), ['set not null']);
  assert.deepEqual(rules('ALTER TABLE cases ADD COLUMN lane TEXT NOT NULL;'), ['not null without default']);
  assert.deepEqual(rules("ALTER TABLE cases ADD COLUMN lane TEXT NOT NULL DEFAULT 'a';"), []);
  assert.deepEqual(rules('ALTER TABLE cases ADD COLUMN lane TEXT;'), []);
  assert.deepEqual(rules('ALTER TABLE cases ADD CONSTRAINT c CHECK (x IS NOT NULL);'), []);
  assert.deepEqual(rules('ALTER TABLE cases DROP CONSTRAINT IF EXISTS c;'), []);
  assert.deepEqual(rules('ALTER TABLE cases RENAME CONSTRAINT a TO b;'), []);
  assert.deepEqual(rules('DROP INDEX cases_x; CREATE INDEX cases_y ON cases(y);'), []);
  assert.deepEqual(rules("CREATE TABLE t (a TEXT NOT NULL); INSERT INTO t VALUES ('DROP TABLE x;');"), []);
  assert.deepEqual(rules('-- DROP TABLE cases;\nCREATE TABLE u (b INTEGER);'), []);
  assert.deepEqual(rules('CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN DROP TABLE x; END $$ LANGUAGE plpgsql;'), []);
  // the landed table rebuilds before the rule are what it would have caught
  const m29 = migrations('pg').find((m) => m.n === 29);
  assert.ok(breaches(m29.sql).some((b) => b.rule === 'rename'), '0029 renames dh_records');
  assert.ok(breaches(m29.sql).some((b) => b.rule === 'drop'), '0029 drops the old table');
  assert.ok(EXEMPT.test('-- migrations-only-add: exempt: the table is rebuilt under its name with the same columns'));
  assert.ok(!EXEMPT.test('-- migrations-only-add: exempt: because'));
});
