// Browser benchmark (not a test; CI never runs it): the training lab's speed in the release bundle in
// headless Chromium, on the plain digits (1,797 records, 896 members), MLP 128, Adam, batch 32, lr 0.001,
// 60 epochs. Prints one JSON object on stdout (progress on stderr):
//   plain / dp: each run (the link trains at once in the worker) with the median of the lab's own
//     per-epoch wall clock in the worker (`data-epoch-ms` of [data-testid=train-data]: one epoch's
//     training plus its measurement pass), the page's wall time from the view shown to
//     [data-testid=train-done] (÷ epochs: what a user waits per epoch, messages and renders included),
//     and the main-thread long tasks (PerformanceObserver 'longtask', buffered, installed before the
//     page's first script) while training: their count (every entry is ≥ 50 ms) and the longest; the
//     long tasks of loading the page are kept apart. Plain and DP-SGD (σ = 1, C = 1) alternate,
//     TRAIN_BENCH_REPEAT times each (default 3), so both see the same moments of a noisy machine;
//     `median` gives the medians over the runs.
//   profile: once, after a plain run has finished in the same page: the six privacy budgets of the
//     privacy-utility profile (choices 0..5: DP-SGD at ε 0.5, 1, 2, 4, 8, and no DP; the defences 6..10
//     unchecked) from the click on [data-testid=train-profile] until the table has 6 rows and its
//     progress bar is gone, with the long tasks in that time.
// Needs `trunk build --release` (dist/). Used by scripts/bench/bench_train.sh, which also times the numpy
// reference and the native CLI and prints the table against the goals.
//   node scripts/bench/bench_train_browser.mjs [--repeat N] [--no-profile | --profile-only] [--epochs E]
import { serve, launch, openPage, DIST } from '../../tests/e2e/harness.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const REPEAT = Number(opt('--repeat', process.env.TRAIN_BENCH_REPEAT || 3));
const EPOCHS = Number(opt('--epochs', 60));
const PROFILE = !argv.includes('--no-profile');
const RUNS = !argv.includes('--profile-only');
const BASE = `view=train&dataset=digits&model=mlp&hidden=128&epochs=${EPOCHS}&batch=32&lr=0.001&optimizer=adam&seed=0`;
const LINKS = { plain: `${BASE}&dp=false`, dp: `${BASE}&dp=true&noise_multiplier=1&max_grad_norm=1` };
const PROFILE_CHOICES = [0, 1, 2, 3, 4, 5];
const TIMEOUT = 900000;

const visible = (id) => `.layout:not([hidden]) [data-testid="${id}"]`;
const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 2) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const log = (...a) => console.error('bench_train_browser:', ...a);

// Every long task of the main thread from the start of the page (buffered), with its start time.
const LONG_TASKS = () => {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__longTasksError = String(e); }
};
// openPage makes its page with browser.newPage; this one installs the observer before the page loads.
const observed = (browser) => ({
  newPage: async (o) => { const p = await browser.newPage(o); await p.addInitScript(LONG_TASKS); return p; },
});
const now = (page) => page.evaluate(() => performance.now());
const longTasks = async (page, from, to = Infinity) => {
  const all = await page.evaluate(() => ({ tasks: window.__longTasks || [], error: window.__longTasksError || null }));
  if (all.error) throw new Error(`no longtask observer: ${all.error}`);
  const inside = all.tasks.filter(([t]) => t >= from && t <= to).map(([, d]) => d);
  const before = all.tasks.filter(([t]) => t < from).map(([, d]) => d);
  return {
    count: inside.filter((d) => d >= 50).length,
    max_ms: round(Math.max(0, ...inside), 1),
    before_count: before.length,
    before_max_ms: round(Math.max(0, ...before), 1),
  };
};
// Resolves (in page time) once `fn` holds, checked every animation frame.
const until = async (page, fn, arg) => (await page.waitForFunction(fn, arg, { timeout: TIMEOUT, polling: 'raf' })).jsonValue();

async function trainRun(browser, url, kind, round_) {
  const { page, log: pageLog } = await openPage(observed(browser), `${url}?${LINKS[kind]}`, undefined, 'train-epoch');
  const shown = await now(page);
  const done = await until(page, () => document.querySelector('.layout:not([hidden]) [data-testid=train-done]') && performance.now());
  const reason = await page.getAttribute(visible('train-done'), 'data-reason');
  const epochMs = ((await page.getAttribute(visible('train-data'), 'data-epoch-ms')) || '')
    .split(',').filter((s) => s !== '').map(Number);
  const epochs = Number(await page.getAttribute(visible('train-done'), 'data-epochs'));
  const tasks = await longTasks(page, shown, done);
  await page.close();
  const run = {
    kind, round: round_, reason, epochs,
    epoch_ms_median: round(median(epochMs)),
    epoch_ms_mean: round(epochMs.reduce((a, b) => a + b, 0) / Math.max(epochMs.length, 1)),
    epoch_ms_first: round(epochMs[0]),
    epoch_ms_max: round(Math.max(...epochMs)),
    epoch_ms_count: epochMs.length,
    epoch_ms_sum: round(epochMs.reduce((a, b) => a + b, 0), 1),
    wall_ms: Math.round(done - shown),
    wall_ms_per_epoch: round((done - shown) / Math.max(epochs, 1)),
    // the page's time outside the worker's epochs: loading the worker and the data, messages, pacing
    outside_epochs_ms: Math.round(done - shown - epochMs.reduce((a, b) => a + b, 0)),
    longtasks: tasks,
    errors: pageLog.errors,
  };
  if (reason !== 'finished' || epochMs.length !== epochs) log(`${kind} run ${round_}: reason ${reason}, ${epochMs.length} epoch times for ${epochs} epochs`);
  log(`${kind} ${round_}/${REPEAT}: median epoch ${run.epoch_ms_median} ms in the worker, page ${run.wall_ms} ms, long tasks ${tasks.count} (max ${tasks.max_ms} ms)`);
  return run;
}

async function profileRun(browser, url) {
  const { page, log: pageLog } = await openPage(observed(browser), `${url}?${LINKS.plain}`, undefined, 'train-epoch');
  await page.waitForSelector(visible('train-done'), { timeout: TIMEOUT });
  const n = await page.locator('.layout:not([hidden]) [data-testid^=train-profile-choice-]').count();
  for (let i = 0; i < n; i++) {
    const box = page.locator(visible(`train-profile-choice-${i}`));
    if ((await box.isChecked()) !== PROFILE_CHOICES.includes(i)) await box.click();
  }
  const start = await now(page);
  await page.click(visible('train-profile'));
  const want = String(PROFILE_CHOICES.length);
  const end = await until(page, (w) => document.querySelector('.layout:not([hidden]) [data-testid=train-profile-table]')?.dataset.rows === w
    && !document.querySelector('.layout:not([hidden]) [data-testid=train-profile-progress]') && performance.now(), want);
  const rows = await page.$$eval('.layout:not([hidden]) [data-testid=train-profile-table] tbody tr', (trs) =>
    trs.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
  const tasks = await longTasks(page, start, end);
  await page.close();
  const out = { choices: PROFILE_CHOICES, runs: rows.length, ms: Math.round(end - start), rows, longtasks: tasks, errors: pageLog.errors };
  log(`profile: ${out.runs} runs in ${out.ms} ms, long tasks ${tasks.count} (max ${tasks.max_ms} ms)`);
  return out;
}

const server = await serve(DIST);
const browser = await launch();
const result = { epochs: EPOCHS, repeat: REPEAT, links: LINKS, runs: [], median: {}, profile: null };
try {
  if (RUNS) {
    for (let r = 1; r <= REPEAT; r++) {
      for (const kind of ['plain', 'dp']) result.runs.push(await trainRun(browser, server.url, kind, r));
    }
    for (const kind of ['plain', 'dp']) {
      const runs = result.runs.filter((x) => x.kind === kind);
      const m = (f) => round(median(runs.map(f)));
      result.median[kind] = {
        epoch_ms: m((x) => x.epoch_ms_median),
        wall_ms_per_epoch: m((x) => x.wall_ms_per_epoch),
        wall_ms: m((x) => x.wall_ms),
        longtask_count: Math.max(...runs.map((x) => x.longtasks.count)),
        longtask_max_ms: Math.max(...runs.map((x) => x.longtasks.max_ms)),
      };
    }
    if (result.median.plain.epoch_ms) result.median.dp_over_plain = round(result.median.dp.epoch_ms / result.median.plain.epoch_ms, 3);
  }
  if (PROFILE) result.profile = await profileRun(browser, server.url);
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result, null, 1));
