// catalog_search.test.js - finding the right item with what people type
// (issue 15): abbreviations and everyday words (社保卡, 身份证, 开公司, 低保 ...)
// find the item a person means first - a match in an item's name ranks above a
// match in its materials or guide, then the more popular item - on the real
// catalog (data/catalog), through GET /api/v1/items?q=.
//
// Each row: [query, expected first item code, its name, optional target].
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.js';

const QUERIES = [
  ["社保卡", "RSJ-20-0001", "社会保障卡申领"],
  ["社保", "RSJ-20-0003", "社会保险个人权益记录查询打印", "person"],
  ["身份证", "GAFJ-07-0001", "居民身份证首次申领"],
  ["结婚", "MZJ-07-0001", "结婚登记"],
  ["结婚证", "MZJ-07-0001", "结婚登记"],
  ["离婚", "MZJ-07-0002", "离婚登记"],
  ["营业执照", "SCJ-01-0001", "企业设立登记"],
  ["开公司", "SCJ-01-0001", "企业设立登记"],
  ["注册公司", "SCJ-01-0001", "企业设立登记"],
  ["公积金", "GJJ-20-0002", "住房公积金提取（租赁自住住房）"],
  ["提取公积金", "GJJ-20-0002", "住房公积金提取（租赁自住住房）"],
  ["公积金贷款", "GJJ-20-0005", "住房公积金贷款申请"],
  ["护照", "GAFJ-01-0003", "普通护照申领"],
  ["港澳通行证", "GAFJ-01-0001", "往来港澳通行证申领"],
  ["台湾通行证", "GAFJ-01-0002", "往来台湾通行证申领"],
  ["低保", "MZJ-05-0001", "最低生活保障申请"],
  ["个税", "SWJ-04-0017", "个人所得税综合所得汇算清缴", "person"],
  ["退税", "SWJ-04-0017", "个人所得税综合所得汇算清缴"],
  ["无犯罪", "GAFJ-20-0001", "无犯罪记录证明开具"],
  ["无犯罪证明", "GAFJ-20-0001", "无犯罪记录证明开具"],
  ["居住证", "GAFJ-07-0005", "居住证办理"],
  ["积分", "RSJ-07-0015", "居住证积分申请"],
  ["健康证", "WJW-20-0003", "从业人员健康检查（健康证明）"],
  ["残疾证", "CL-07-0001", "残疾人证办理"],
  ["出生证", "WJW-07-0001", "出生医学证明首次签发"],
  ["上户口", "GAFJ-07-0008", "出生登记（申报户口）"],
  ["报户口", "GAFJ-07-0008", "出生登记（申报户口）"],
  ["户口本", "GAFJ-07-0012", "居民户口簿补领换领"],
  ["房产证", "GHZYJ-07-0010", "不动产转移登记"],
  ["过户", "GHZYJ-07-0010", "不动产转移登记"],
  ["网签", "FGJ-10-0010", "房屋买卖合同网签备案"],
  ["租房备案", "FGJ-10-0011", "房屋租赁合同登记备案"],
  ["公租房", "FGJ-20-0003", "公共租赁住房申请"],
  ["廉租房", "FGJ-05-0001", "廉租住房申请"],
  ["加装电梯", "FGJ-20-0004", "既有多层住宅加装电梯申请"],
  ["养老金", "RSJ-05-0010", "基本养老金申领"],
  ["退休金", "RSJ-05-0010", "基本养老金申领"],
  ["失业金", "RSJ-05-0009", "失业保险金申领"],
  ["准生证", "WJW-20-0001", "生育登记"],
  ["生育津贴", "YBJ-05-0002", "生育生活津贴申领"],
  ["上小学", "JYJ-20-0001", "适龄儿童小学入学登记"],
  ["幼儿园", "JYJ-20-0003", "幼儿园入园登记"],
  ["转学", "JYJ-20-0004", "中小学生转学"],
  ["教师证", "JYJ-07-0001", "教师资格认定"],
  ["电动车", "GAFJ-07-0016", "电动自行车登记"],
  ["养狗", "GAFJ-07-0015", "养犬登记"],
  ["异地就医", "YBJ-20-0004", "跨省异地就医登记备案"],
  ["看病报销", "YBJ-05-0001", "医疗费用零星报销"],
  ["劳动仲裁", "RSJ-09-0001", "劳动人事争议仲裁申请"],
  ["欠薪", "RSJ-20-0005", "劳动保障监察投诉"],
  ["12345", "12345-20-0002", "市民诉求受理"],
  ["刻章", "GAFJ-10-0001", "印章刻制备案"],
  ["法律援助", "SFJ-20-0001", "法律援助申请"],
  ["老年卡", "MZJ-05-0005", "老年综合津贴申请"],
  ["长护险", "YBJ-05-0004", "长期护理保险待遇申请"],
  ["完税证明", "SWJ-20-0004", "开具税收完税证明"],
  ["补办身份证", "GAFJ-07-0003", "居民身份证补领"],
  ["找工作", "RSJ-20-0006", "职业介绍"],
  ["社保转移", "RSJ-20-0004", "养老保险关系转移接续"],
  ["食品许可", "SCJ-01-0023", "食品经营许可（新办）"],];

describe('catalog: search by what people type', () => {
  let srv;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv?.close());

  const search = (q, extra = '') => srv.api('GET', `/api/v1/items?q=${encodeURIComponent(q)}&limit=5${extra}`);

  test(`${QUERIES.length} everyday queries: the item a person means comes first`, async () => {
    assert.ok(QUERIES.length >= 50);
    const missed = [];
    for (const [q, code, name, target] of QUERIES) {
      const r = await search(q, target ? `&target=${target}` : '');
      assert.equal(r.status, 200, r.text);
      const first = r.json.items[0];
      if (!first || first.code !== code) missed.push(`${q}: want ${name}, got ${(r.json.items || []).map((x) => x.name).join(' | ') || 'nothing'}`);
      else assert.equal(first.name, name);
    }
    assert.deepEqual(missed, []);
  });

  test('a match in the name ranks above a match in the materials: 身份证 does not put 企业设立登记 first', async () => {
    const r = await search('身份证');
    assert.ok(r.json.total > 100, 'many items ask for an ID card');
    for (const it of r.json.items) assert.match(it.name, /身份证/, 'the first ones are ID card items');
  });

  test('the name exactly as the catalog has it comes first, and the abbreviation finds what the full word finds', async () => {
    let r = await search('结婚登记');
    assert.equal(r.json.items[0].name, '结婚登记');
    const full = await search('社会保障卡');
    r = await search('社保卡');
    assert.deepEqual(r.json.items.slice(0, 2).map((x) => x.code), full.json.items.slice(0, 2).map((x) => x.code));
  });

  test('nothing matches: an empty list, not an error; filters still apply', async () => {
    let r = await search('量子纠缠许可');
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 0);
    r = await search('社保', '&target=enterprise');
    assert.ok(r.json.items.length > 0);
    for (const it of r.json.items) assert.equal(it.target, 'enterprise');
  });
});
