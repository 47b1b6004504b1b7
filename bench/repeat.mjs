// bench/repeat.mjs RUN1.md RUN2.md ... - the medians of BENCH_REPEAT runs.
//
// bench/run.sh with BENCH_REPEAT=N runs the chosen parts N times, each into a
// report of its own, then calls this to write the section that lands in
// docs/PERFORMANCE.md: one table with every target row of the runs (a row of a
// targets table is one whose last cell says met or not met), its headline
// figure (the first bold number of the row) in each run, the median and the
// spread (max - min, and as a share of the median), how many runs met it, and
// the verdict of the median run - so a target is judged on a median, not on
// one lucky or unlucky round.  The runs' full reports follow, folded.
import fs from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node bench/repeat.mjs RUN1.md [RUN2.md ...]');
  process.exit(2);
}

/* The generated part of a report (between the bench markers), or all of it. */
function generated(text) {
  const b = text.indexOf('<!-- bench:begin');
  const e = text.indexOf('<!-- bench:end -->');
  if (b < 0 || e < 0) return text;
  return text.slice(text.indexOf('\n', b) + 1, e);
}

const cells = (line) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split(' | ').map((c) => c.trim());

/* label -> [{value, met, verdict}] per run, in the order first seen */
const rows = new Map();
const reports = files.map((f) => generated(fs.readFileSync(f, 'utf8')));
reports.forEach((text, run) => {
  const section = [];
  for (const line of text.split('\n')) {
    if (/^###? /.test(line)) section[0] = line.replace(/^#+ /, '');
    if (!line.startsWith('| ')) continue;
    const c = cells(line);
    const verdict = c[c.length - 1];
    if (!/\*\*(not )?met\*\*/.test(verdict) || c.length < 3) continue;
    const m = /\*\*([0-9][0-9.,]*)/.exec(c.slice(1, -1).join(' | '));
    const key = `${c[0]}`;
    if (!rows.has(key)) rows.set(key, { section: section[0] ?? '', runs: [] });
    rows.get(key).runs[run] = {
      value: m ? Number(m[1].replace(/,/g, '')) : NaN,
      met: /\*\*met\*\*/.test(verdict),
      verdict,
    };
  }
});

const fmt = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString()) : '–');
const out = [];
out.push(`## Medians of ${files.length} runs (BENCH_REPEAT=${files.length})`);
out.push('');
out.push('Each target row of the runs below: its headline figure (the first bold number of the row) in every run,');
out.push('the median, the spread (max - min; in brackets as a share of the median), how many runs met the target,');
out.push('and the verdict of the median run, on which the target is judged.');
out.push('');
out.push(`| target | ${files.map((_, i) => `run ${i + 1}`).join(' | ')} | median | spread | runs met | verdict (median run) |`);
out.push(`| --- | ${files.map(() => '---:').join(' | ')} | ---: | ---: | ---: | --- |`);
for (const [label, r] of rows) {
  const present = r.runs.map((x, i) => ({ ...x, i })).filter((x) => x && Number.isFinite(x.value));
  if (present.length === 0) continue;
  const sorted = [...present].sort((a, b) => a.value - b.value);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]; // the lower middle for an even count
  const spread = sorted[sorted.length - 1].value - sorted[0].value;
  const share = mid.value !== 0 ? ` (${Math.round((spread / Math.abs(mid.value)) * 100)} %)` : '';
  const per = files.map((_, i) => (r.runs[i] ? fmt(r.runs[i].value) : '–'));
  const metRuns = r.runs.filter((x) => x && x.met).length;
  out.push(`| ${label} | ${per.join(' | ')} | **${fmt(mid.value)}** | ${fmt(spread)}${share} | ${metRuns} of ${r.runs.filter(Boolean).length} | ${mid.verdict.replace(/\|/g, '\\|')} |`);
}
out.push('');
reports.forEach((text, i) => {
  out.push('<details>');
  out.push(`<summary>Run ${i + 1} of ${files.length}: the full report</summary>`);
  out.push('');
  out.push(text.trim());
  out.push('');
  out.push('</details>');
  out.push('');
});
process.stdout.write(out.join('\n'));
