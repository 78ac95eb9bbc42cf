// Scale benchmark (not a test): generates audit CSVs, then times the same audit three ways on each —
// the page in headless Chromium (upload to full report, longest main-thread task, peak memory of the
// browser's processes), the native CLI (`mia audit --json`, peak RSS), and the Python reference
// (pandas read_csv + scikit-learn, scripts/bench/audit_speed_reference.py) — and prints one table.
//   node scripts/bench/bench_scale.mjs [--big] [--runs N]
//     --big adds 10,000,000 narrow rows; each page measurement is repeated N times (default 3),
//     each in a fresh page, and the median run is printed with the range.
// Needs `trunk build --release` and `cargo build --release -p mia-engine --bin mia` first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { serve, launch, openPage, narrowCsv, wideCsv, DIST, ROOT, watchLongTasks, longestTask } from '../../tests/e2e/harness.mjs';

const DIR = process.env.MIA_BENCH_DIR || os.tmpdir();
const big = process.argv.includes('--big');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
/** The page is left idle this long before the upload, as a user picking a file would leave it:
 *  the worker warms its code up meanwhile (src/warm_up.rs). */
const IDLE_MS = 1000;

/** Sum of resident memory of Chromium's processes, MB. */
function chromiumRssMb() {
  let kb = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chrom')) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
      if (m) kb += Number(m[1]);
    } catch { /* the process ended */ }
  }
  return kb / 1024;
}

async function browserRun(browser, url, file) {
  const { page } = await openPage(browser, url);
  await page.waitForTimeout(IDLE_MS);
  await watchLongTasks(page);
  const base = chromiumRssMb();
  let peak = base;
  const poll = setInterval(() => { peak = Math.max(peak, chromiumRssMb()); }, 100);
  const name = path.basename(file);
  const t0 = Date.now();
  await page.setInputFiles('[data-testid=csv-input]', file);
  const progress = await page.waitForSelector('[data-testid=progress]', { timeout: 5000 }).then(() => Date.now() - t0).catch(() => null);
  await page.waitForFunction((n) => document.querySelector('.audit-head h2')?.textContent.includes(n), name, { timeout: 900000 });
  const ms = Date.now() - t0;
  clearInterval(poll);
  const longest = await longestTask(page);
  // The worker's own account: "read in 412 ms, 3 signals attacked in 1.53 s".
  const line = await page.textContent('[data-testid=timings-line]');
  const toMs = (m) => (m[2] === 's' ? Number(m[1]) * 1000 : Number(m[1]));
  const [read, attack] = [...line.matchAll(/([\d.]+) (ms|s)\b/g)].map(toMs);
  await page.close();
  return { ms, longest, progress, read: Math.round(read), attack: Math.round(attack), peakMb: Math.round(peak - base) };
}

function nativeRun(file) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', path.join(ROOT, 'target/release/mia'), 'audit', file, '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  const [secs, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms: Math.round(secs * 1000), peakMb: Math.round(kb / 1024) };
}

function pythonRun(file) {
  const out = execFileSync('python3', [path.join(ROOT, 'scripts/bench/audit_speed_reference.py'), file],
    { encoding: 'utf8', maxBuffer: 1 << 28 });
  const j = JSON.parse(out.trim().split('\n').pop());
  return { ms: Math.round(j.seconds * 1000), peakMb: Math.round(j.peak_rss_mb) };
}

const files = [['narrow', narrowCsv(DIR, 1_000_000)], ['wide', wideCsv(DIR, 1_000_000)]];
if (big) files.push(['narrow', narrowCsv(DIR, 10_000_000)]);
const server = await serve(DIST);
const browser = await launch();
console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GB`);
{
  // First render on localhost: first contentful paint, and the bundled sample's full audit.
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto(server.url);
  await page.waitForSelector('.layout:not([hidden]) [data-testid="metric-auc"]');
  const audit = Date.now() - t0;
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  console.log(`first render: first contentful paint ${Math.round(fcp)} ms; sample audit shown ${audit} ms`);
  await page.close();
}
console.log(`browser: median of ${RUNS} runs (range), longest task and memory the largest of them`);
console.log('shape\trows\tMB\tbrowser ms\t(range)\t(read\tattack)\tlongest task ms\tprogress shown ms\tbrowser MB\tnative ms\tnative MB\tpython ms\tpython MB\tpython/native');
for (const [shape, file] of files) {
  const rows = Number(file.match(/_(\d+)\.csv$/)[1]);
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await browserRun(browser, server.url, file));
  const sorted = [...runs].sort((x, y) => x.ms - y.ms);
  const b = {
    ...sorted[Math.floor((RUNS - 1) / 2)],
    longest: Math.max(...runs.map((r) => r.longest)),
    peakMb: Math.max(...runs.map((r) => r.peakMb)),
    range: `${sorted[0].ms}-${sorted[RUNS - 1].ms}`,
  };
  const n = nativeRun(file);
  const p = pythonRun(file);
  console.log([shape, rows, mb, b.ms, b.range, b.read, b.attack, b.longest, b.progress ?? '-', b.peakMb, n.ms, n.peakMb, p.ms, p.peakMb, (p.ms / n.ms).toFixed(1)].join('\t'));
}
await browser.close();
server.close();
