// licenses_case_holder.test.js - a license issued on a case goes to the case's
// applicant, a person or a company, whatever the type's usual holder: a
// company's 不动产首次登记 (GHZYJ-07-0001) approved gives the company the
// 不动产权证书 (LT-021, a type people usually hold), with its credit code as
// holder and as the 证件号码 field.  Before the fix the approval failed with
// invalid_id_chars on holder_ident (the credit code checked as an ID number).
// The item's fee is due after approval (payments holds the case); it is waived
// here so that nothing but the issuing is tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';
import { uploadPdf } from './case_fixtures.js';
import { fillForm, COMPANY } from './world.js';

test('a company approved for 不动产首次登记 holds the 不动产权证书 issued on its case', async () => {
  const srv = await startServer();
  try {
    const tok = await srv.login(COMPANY);
    const item = (await srv.api('GET', '/api/v1/items/GHZYJ-07-0001')).json;
    assert.equal(item.produces, 'LT-021');
    const materials = [];
    for (const m of item.materials) if (m.required === 'required') materials.push({ material_code: m.code, file_id: await uploadPdf(srv, tok, m.code) });
    const k = await srv.api('POST', '/api/v1/cases', { token: tok, body: { item_code: item.code, form: fillForm(item), materials } });
    assert.equal(k.status, 201, k.text);
    const clerk = await srv.login('clerk');
    const acc = await srv.api('POST', `/api/v1/cases/${k.json.case_no}/accept`, { token: clerk, body: { note: '受理' } });
    assert.equal(acc.status, 200, acc.text);
    const task = acc.json.tasks.find((x) => x.status === 'pending');
    const rev = await srv.login('rev.ghzyj');
    const d = await srv.api('POST', `/api/v1/tasks/${task.id}/decide`, { token: rev, body: { decision: 'approve', opinion: '准予登记' } });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.status, 'on_hold'); // the fee, due after approval
    const o = (await srv.api('GET', `/api/v1/payments/orders?case_no=${k.json.case_no}`, { token: clerk })).json.items[0];
    const w = await srv.api('POST', `/api/v1/payments/orders/${o.order_no}/waive`, { token: clerk, body: { reason: '测试：免收登记费' } });
    assert.equal(w.status, 200, w.text);
    assert.equal((await srv.api('GET', `/api/v1/cases/${k.json.case_no}`, { token: tok })).json.status, 'approved');
    const mine = (await srv.api('GET', '/api/v1/licenses', { token: tok })).json;
    const lic = (mine.items || mine).find((x) => (x.type?.code || x.type_code || x.type) === 'LT-021');
    assert.ok(lic, JSON.stringify(mine).slice(0, 600));
    const full = (await srv.api('GET', `/api/v1/licenses/${encodeURIComponent(lic.id)}`, { token: tok })).json;
    const text = JSON.stringify(full);
    assert.match(text, /91310104MA1FL8XQ10/);
    assert.match(text, /"enterprise"/);
  } finally {
    await srv.close();
  }
});
