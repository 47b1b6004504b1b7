// datahub_import.test.js - `ywtb import data` of NDJSON on its fast path and
// off it, on both engines: plain lines (a flat object of strings, stored as
// they came without a parse), lines that need normalising or the parser (a
// lower-case check character, an escape, a number, null, bytes that are not
// UTF-8, a repeated key), a subject repeated within one 64-row statement (the
// later row wins, as one by one), and more rows than one statement holds;
// what was stored is read back through the API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cli, tempDir } from './harness.js';
import { addStaff, idNumber } from './case_fixtures.js';

const D = '/api/v1/datahub';

describe('datahub: the NDJSON import, plain lines and the rest, many rows a statement', () => {
  let srv, work, ga;
  const read = (s) => srv.api('GET', `${D}/resources/GA-HJRK/subjects/${s}?purpose=service&purpose_text=${encodeURIComponent('导入核对')}`, { token: ga });

  before(async () => {
    srv = await startServer();
    work = tempDir('ywtb-dh-import-');
    const admin = await srv.login('admin');
    ga = (await addStaff(srv, admin, 'ga.imp', '公安数据员', 'XH-GAFJ', ['data_officer'])).token;
  });
  after(() => srv?.close());

  test('every kind of line ends as the same record it would one by one', async () => {
    const subjects = Array.from({ length: 150 }, (_, i) => idNumber('19700101', 200 + i));
    const lines = subjects.map((s, i) => JSON.stringify({ id_number: s, name: `导入${i}`, hukou_address: `徐汇区导入路${i}号` }));
    // the same subject again inside the first 64 rows: the later line wins
    lines.splice(10, 0, JSON.stringify({ id_number: subjects[3], name: '导入三改', hukou_address: '徐汇区改后路3号' }));
    // a subject whose check character is X, written lower-case: normalised, so parsed
    let lower = '';
    for (let seq = 500; !lower.endsWith('X'); seq++) lower = idNumber('19700101', seq);
    const x = lower.slice(0, 17) + 'x';
    const text = (t) => Buffer.from(t + '\n');
    const fresh = Array.from({ length: 6 }, (_, i) => idNumber('19710101', 300 + i)); // subjects only these lines name
    const extra = [
      text('{"id_number":"' + fresh[0] + '","name":"\\u5f20\\u4e09","hukou_address":"转义"}'), // an escape: parsed
      text(JSON.stringify({ id_number: fresh[1], name: '空值', hukou_address: null })), // null: dropped
      text('{"id_number":"' + fresh[2] + '","name":"重复","name":"两次"}'), // a repeated key: refused
      Buffer.concat([Buffer.from('{"id_number":"' + fresh[3] + '","name":"'), Buffer.from([0xff]), text('"}')]), // not UTF-8: refused
      text('{"id_number":"' + fresh[4] + '","name":"多余","salary":"1"}'), // an unknown item: refused
      text('{"id_number":"' + fresh[5] + '","name":"尾巴"} x'), // bytes after the object: refused
      text(JSON.stringify({ id_number: x, name: '小写校验码' })),
    ];
    const file = path.join(work, 'rows.ndjson');
    fs.writeFileSync(file, Buffer.concat([...lines.map(text), ...extra]));
    const errors = path.join(work, 'errors.csv');
    const r = cli(['import', 'data', 'GA-HJRK', file, '--errors', errors, '--db', srv.url], { cwd: srv.dir });
    assert.equal(r.code, 3, r.stderr + r.stdout);
    const kept = 151 + 2 + 1;
    assert.match(r.stdout, new RegExp(`imported ${kept} rows into GA-HJRK .* 4 refused`));
    const report = fs.readFileSync(errors, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join(','));
    const base = lines.length;
    assert.deepEqual(report, [`${base + 3},`, `${base + 4},`, `${base + 5},salary`, `${base + 6},`]);

    const three = await read(subjects[3]);
    assert.equal(three.status, 200, three.text);
    assert.equal(three.json.records.length, 1);
    assert.equal(three.json.records[0].data.name, '导入三改');
    const last = await read(subjects[149]); // beyond the first statements of 64
    assert.equal(last.json.records[0].data.hukou_address, '徐汇区导入路149号');
    const esc = await read(fresh[0]);
    assert.equal(esc.json.records[0].data.name, '张三');
    const nul = await read(fresh[1]);
    assert.deepEqual(Object.keys(nul.json.records[0].data).sort(), ['id_number', 'name']);
    const dup = await read(fresh[2]);
    assert.equal(dup.json.records.length, 0, 'a refused line writes nothing');
    const lx = await read(lower);
    assert.equal(lx.json.records[0].data.id_number, lower, 'stored with the check character upper-cased');
  });
});
