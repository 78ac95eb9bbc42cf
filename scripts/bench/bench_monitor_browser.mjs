// Browser benchmark (not a test): the query-log monitor on a generated 1,000,000-line log (the one
// scripts/bench/bench_monitor.sh makes: 1,000 keys over a day, 30 attackers, SHA-256 hex inputs, Unix
// and ISO times, 1 % of rows out of order) uploaded to the release bundle's Monitor view in headless
// Chromium, against `mia monitor LOG --json` on the same file, alternating, MONITOR_BENCH_REPEAT times
// each (default 3). Prints every run, the medians, the ratios page/mia, the longest main-thread task,
// and whether every key's figures agree (total, unique, repeated inputs, diversity, action).
//
// "worker ms" is the page's own data-read-ms + data-replay-ms: the worker reading the upload through
// the slice reader (the CSV, the times, keys and inputs numbered, sorted) and the replay (every key's
// figures, first flag, timeline, top inputs); "page ms" is the wall time from the upload to the table
// drawn; "mia ms" is the whole `mia monitor --json` process (reading the file, the replay, the JSON).
// The goal (issue 21): a 1M-line log analysed in at most 1.5 s in the browser.
//
// Needs `trunk build --release` and `cargo build --release -p mia-engine --bin mia`.
//   node scripts/bench/bench_monitor_browser.mjs [DIR]     (default DIR: /tmp/monitor-bench)
// Environment: MONITOR_BENCH_LINES (1000000), MONITOR_BENCH_REPEAT (3), PYTHON (default python3).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openPage, DIST, ROOT, watchLongTasks, longestTask } from '../../tests/e2e/harness.mjs';

const dir = process.argv[2] || '/tmp/monitor-bench';
const LINES = Number(process.env.MONITOR_BENCH_LINES || 1000000);
const REPEAT = Number(process.env.MONITOR_BENCH_REPEAT || 3);
const PYTHON = process.env.PYTHON || 'python3';
const TARGET_MS = 1500;

const mia = path.join(ROOT, 'target', 'release', 'mia');
for (const [what, p] of [['the release bundle (trunk build --release)', path.join(DIST, 'index.html')], ['mia (cargo build --release -p mia-engine --bin mia)', mia]]) {
  if (!fs.existsSync(p)) { console.error(`bench_monitor_browser: no ${p}: build ${what} first`); process.exit(2); }
}
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `monitor_log_n${LINES}_s1.csv`);
if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
  console.error(`generating ${file}`);
  execFileSync(PYTHON, [path.join(ROOT, 'scripts', 'bench', 'monitor_synthetic.py'), `${file}.part`, '--lines', String(LINES), '--seed', '1'], { stdio: 'inherit' });
  fs.renameSync(`${file}.part`, file);
}
const name = path.basename(file);
const mb = (fs.statSync(file).size / 1e6).toFixed(1);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const visible = (id) => `.layout:not([hidden]) [data-testid="${id}"]`;

/** Where the page's rows differ from `mia monitor --json`'s keys (after "show more" until every key
 *  is shown: the table shows 100 at a time). */
async function differences(page, native) {
  while (await page.$(visible('monitor-more'))) {
    const before = await page.$$eval('.layout:not([hidden]) tr[data-testid^="monitor-key-"]', (t) => t.length);
    await page.click(visible('monitor-more'));
    await page.waitForFunction((n) => document.querySelectorAll('.layout:not([hidden]) tr[data-testid^="monitor-key-"]').length > n, before);
  }
  const rows = await page.$$eval('.layout:not([hidden]) tr[data-testid^="monitor-key-"]', (trs) => Object.fromEntries(trs.map((tr) => [
    tr.dataset.testid.slice('monitor-key-'.length),
    [tr.dataset.total, tr.dataset.unique, tr.dataset.repeated, tr.dataset.diversity, tr.dataset.action],
  ])));
  const out = [];
  for (const k of native.keys) {
    const want = [String(k.total), String(k.unique), String(k.repeated_inputs), String(k.diversity), k.action];
    const got = rows[k.api_key];
    if (!got) out.push(`${k.api_key}: no row`);
    else if (got.join() !== want.join()) out.push(`${k.api_key}: page ${got.join(' ')}, mia ${want.join(' ')}`);
  }
  if (Object.keys(rows).length !== native.keys.length) out.push(`${Object.keys(rows).length} rows, mia ${native.keys.length} keys`);
  return out;
}

const server = await serve(DIST);
const browser = await launch();
let failed = false;
const runs = [];
console.log('lines\tMB\trun\tmia ms\tpage ms\tworker ms (read + replay)\tpage/mia\tworker/mia\tlongest main-thread task ms\tsame figures');
for (let r = 1; r <= REPEAT; r++) {
  const t = performance.now();
  const native = JSON.parse(execFileSync(mia, ['monitor', file, '--json'], { maxBuffer: 1 << 30 }));
  const miaMs = performance.now() - t;
  // As a user opens the view: its bundled sample is shown, then the user picks a file.
  const { page, log } = await openPage(browser, `${server.url}?view=monitor`, undefined, 'monitor-keys');
  await page.waitForTimeout(2000);
  await watchLongTasks(page);
  const t0 = performance.now();
  await page.setInputFiles(visible('monitor-input'), file);
  await page.waitForFunction((n) => document.querySelector('.layout:not([hidden]) [data-testid=monitor-results]')?.textContent.includes(`${n}: read in`)
    || document.querySelector('.layout:not([hidden]) [data-testid=monitor-error]'), name, { timeout: 900000 });
  const pageMs = performance.now() - t0;
  const error = await page.$(visible('monitor-error'));
  if (error) {
    console.error(`the page refused ${name}: ${await error.textContent()}`);
    process.exit(1);
  }
  const results = visible('monitor-results');
  const readMs = Number(await page.getAttribute(results, 'data-read-ms'));
  const replayMs = Number(await page.getAttribute(results, 'data-replay-ms'));
  const workerMs = readMs + replayMs;
  const longest = await longestTask(page);
  const shownAtFirst = await page.$$eval('.layout:not([hidden]) tr[data-testid^="monitor-key-"]', (t) => t.length);
  const out = await differences(page, native);
  if (shownAtFirst > 100) out.push(`${shownAtFirst} rows drawn at first (a page is 100)`);
  if (log.errors.length) out.push(...log.errors.map((e) => `console: ${e}`));
  if (out.length) failed = true;
  runs.push({ miaMs, pageMs, workerMs, readMs, replayMs, longest });
  console.log(`${native.n_queries}\t${mb}\t${r}\t${miaMs.toFixed(0)}\t${pageMs.toFixed(0)}\t${workerMs.toFixed(0)} (${readMs.toFixed(0)} + ${replayMs.toFixed(0)})\t${(pageMs / miaMs).toFixed(2)}\t${(workerMs / miaMs).toFixed(2)}\t${longest}\t${out.length ? `NO: ${out.slice(0, 3).join('; ')}` : `yes (${native.keys.length} keys)`}`);
  await page.close();
}
await browser.close();
server.close();
const m = (k) => median(runs.map((x) => x[k]));
console.log(`median\t${mb}\t\t${m('miaMs').toFixed(0)}\t${m('pageMs').toFixed(0)}\t${m('workerMs').toFixed(0)} (${m('readMs').toFixed(0)} + ${m('replayMs').toFixed(0)})\t${(m('pageMs') / m('miaMs')).toFixed(2)}\t${(m('workerMs') / m('miaMs')).toFixed(2)}\t${Math.max(...runs.map((x) => x.longest))}`);
console.log();
console.log(`the worker analysed ${LINES} lines in ${(m('workerMs') / 1000).toFixed(2)} s (median), ${m('workerMs') <= TARGET_MS ? 'within' : 'OVER'} the ${TARGET_MS / 1000} s target; upload to table drawn ${(m('pageMs') / 1000).toFixed(2)} s.`);
console.log('worker ms = the page\'s data-read-ms + data-replay-ms (in the worker); page ms = upload to the table drawn;');
console.log('mia ms = the whole `mia monitor --json` process. Ratios are page/mia and worker/mia.');
process.exit(failed ? 1 : 0);
