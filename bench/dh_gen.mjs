// dh_gen.mjs - N rows of the demo resource GA-HJRK (户籍人口) as NDJSON, with
// valid GB 11643 ID numbers, for bench/datahub.sh: `node bench/dh_gen.mjs N`.
const n = Number(process.argv[2] || 100000);
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const SURN = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂';
const out = [];
for (let i = 0; i < n; i++) {
  const d = new Date(Date.UTC(1950, 0, 1) + (i % 25000) * 86400000);
  const birth = d.toISOString().slice(0, 10).replace(/-/g, '');
  const body = `310104${birth}${String(Math.floor(i / 25000) % 1000).padStart(3, '0')}`;
  let s = 0;
  for (let k = 0; k < 17; k++) s += Number(body[k]) * W[k];
  const id = body + '10X98765432'[s % 11];
  out.push(JSON.stringify({
    id_number: id, name: SURN[i % 20] + GIVEN[(i * 7) % 24] + GIVEN[(i * 13) % 24], sex: i % 2 ? '男' : '女',
    birth_date: d.toISOString().slice(0, 10), ethnicity: '汉族',
    hukou_address: `上海市徐汇区漕河泾街道田林路${(i % 900) + 1}弄${(i % 30) + 1}号${(i % 6) + 1}0${(i % 4) + 1}室`,
    household_head: '张小明', relation: '户主',
  }));
  if (out.length === 10000) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
