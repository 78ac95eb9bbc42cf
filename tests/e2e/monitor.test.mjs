// End-to-end: the query-log monitor. A generated log (the reference fixture: keys that repeat,
// sweep, do both, stay under the volume threshold, queries on the window's edge, ISO and Unix
// times, out-of-order rows) uploaded through the worker's slice reader gives every key the figures
// of `mia monitor --json`; an edited threshold replays it as the CLI does; the four downloads
// (table, report, rules, metrics) carry the same figures, and promtool accepts the rules and
// metrics when it is installed; a bad log is named by row; no network after the page loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, visible, launch, openPage, requestsAfterLockdown, DIST, OUT, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const MIA = path.join(ROOT, 'target', 'release', 'mia');
const LOG = path.join(ROOT, 'engine', 'tests', 'fixtures', 'monitor', 'log.csv');
const mia = (...args) => JSON.parse(execFileSync(MIA, ['monitor', ...args, '--json'], { maxBuffer: 1 << 26 }));
const hasPromtool = (() => { try { execFileSync('promtool', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

/** Waits until the results are those of `name` with `window` seconds, and returns the rows' figures. */
async function rows(page, name, window) {
  await page.waitForFunction(([n, w]) => {
    const r = document.querySelector('.layout:not([hidden]) [data-testid=monitor-results]');
    return r && r.textContent.includes(`${n}: read in`) && r.textContent.includes(`window of ${w} s`);
  }, [name, window], { timeout: 60000 });
  return page.$$eval('.layout:not([hidden]) tr[data-testid^="monitor-key-"]', (trs) => Object.fromEntries(trs.map((tr) => [
    tr.dataset.testid.slice('monitor-key-'.length),
    { total: tr.dataset.total, unique: tr.dataset.unique, repeated: tr.dataset.repeated, diversity: tr.dataset.diversity, action: tr.dataset.action },
  ])));
}

function assertSame(got, native) {
  assert.equal(Object.keys(got).length, native.keys.length);
  for (const k of native.keys) {
    const g = got[k.api_key];
    assert.ok(g, `row for ${k.api_key}`);
    assert.deepEqual(g, { total: String(k.total), unique: String(k.unique), repeated: String(k.repeated_inputs),
      diversity: String(k.diversity), action: k.action }, k.api_key);
  }
}

async function download(page, id) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(visible(id))]);
  return fs.readFileSync(await d.path(), 'utf8');
}

test('an uploaded log gives mia monitor\'s figures; edited thresholds, downloads, bad input, no network', async () => {
  const { page, log } = await openPage(browser, `${server.url}?view=monitor`, undefined, 'monitor-keys');
  await page.setInputFiles(visible('monitor-input'), LOG);
  assertSame(await rows(page, 'log.csv', 3600), mia(LOG));
  assert.match(page.url(), /view=monitor&source=file/);
  await page.screenshot({ path: path.join(OUT, 'monitor.png'), fullPage: true });

  // A shorter window and the all-time repeat counts: the log is replayed as the CLI replays it.
  await page.fill(visible('monitor-window'), '1800');
  await page.press(visible('monitor-window'), 'Enter');
  await page.selectOption(visible('monitor-scope'), 'all_time');
  const edited = mia(LOG, '--window', '1800', '--all-time-repeats');
  // The all-time run's own sentence (the window run's also says "all-time": "pick all-time for its
  // figures"), so the rows read below are that run's, not the 1800 s window run's before it.
  await page.waitForFunction(() => /repeat counts are all-time/.test(document.querySelector('.layout:not([hidden]) [data-testid=monitor-results]')?.textContent || ''));
  assertSame(await rows(page, 'log.csv', 1800), edited);

  // The downloads carry the same figures.
  const csv = (await download(page, 'monitor-download-csv')).trim().split('\n');
  const header = csv[0].split(',');
  for (const c of ['api_key', 'total', 'unique', 'repeated_inputs', 'diversity', 'risk', 'action', 'first_flagged_at']) assert.ok(header.includes(c), c);
  assert.equal(csv.length - 1, edited.keys.length);
  const col = (line, c) => line.split(',')[header.indexOf(c)];
  for (const line of csv.slice(1)) {
    const k = edited.keys.find((x) => x.api_key === col(line, 'api_key'));
    assert.ok(k, line);
    assert.equal(col(line, 'total'), String(k.total));
    assert.equal(col(line, 'action'), k.action);
  }
  // The report is `mia monitor --json --timeline` without its file name.
  const report = JSON.parse(await download(page, 'monitor-download-json'));
  assert.equal(report.n_queries, edited.n_queries);
  for (const k of edited.keys) {
    const r = report.keys.find((x) => x.api_key === k.api_key);
    assert.equal(r.total, k.total);
    assert.equal(r.diversity, k.diversity);
    assert.equal(r.first_flagged_at, k.first_flagged_at);
  }
  const rules = await download(page, 'monitor-download-rules');
  for (const name of ['RepeatedInputQueries', 'HighQueryDiversity', 'MembershipInferenceRiskHigh']) assert.match(rules, new RegExp(`alert: ${name}`));
  const metrics = await download(page, 'monitor-download-metrics');
  assert.match(metrics, /# TYPE membership_inference_risk_score gauge/);
  if (hasPromtool) {
    const dir = fs.mkdtempSync(path.join(OUT, 'monitor-'));
    fs.writeFileSync(path.join(dir, 'rules.yml'), rules);
    execFileSync('promtool', ['check', 'rules', path.join(dir, 'rules.yml')]);
    execFileSync('promtool', ['check', 'metrics'], { input: metrics });
    fs.rmSync(dir, { recursive: true });
  }

  // A key's timeline opens from its row.
  const attacker = edited.keys.find((k) => k.action === 'block') || edited.keys[0];
  await page.click(`${visible(`monitor-key-${attacker.api_key}`)} button`);
  await page.waitForFunction((k) => document.querySelector('.layout:not([hidden]) [data-testid=monitor-detail]')?.dataset.key === k, attacker.api_key);
  assert.ok(await page.locator(visible('monitor-timeline')).isVisible());

  // A bad log: named by row and column; then the good one again.
  const bad = path.join(OUT, 'monitor-bad.csv');
  fs.writeFileSync(bad, 'api_key,input_hash,timestamp\nk1,h1,1709294400\nk1,h2,yesterday\n');
  await page.setInputFiles(visible('monitor-input'), bad);
  await page.waitForSelector(visible('monitor-error'));
  assert.match(await page.textContent(visible('monitor-error')), /row 3, column `timestamp`: `yesterday`/);
  await page.setInputFiles(visible('monitor-input'), LOG);
  await rows(page, 'log.csv', 1800);
  assert.equal(await page.locator(visible('monitor-error')).count(), 0);

  assert.deepEqual(await requestsAfterLockdown(page, log), []);
  assert.deepEqual(log.errors, []);
  await page.close();
});
