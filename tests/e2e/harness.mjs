// Shared pieces of the end-to-end tests: a static server for dist/ and a Chromium launcher.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.csv': 'text/csv', '.json': 'application/json', '.png': 'image/png' };

/** Serves `dir` on 127.0.0.1 at a free port. Resolves to { url, close }. */
export function serve(dir, port = 0) {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    let p = path.join(dir, decodeURIComponent(u.pathname));
    if (!p.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) p = path.join(p, 'index.html');
    if (!fs.existsSync(p)) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(p)] || 'application/octet-stream' });
    fs.createReadStream(p).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
  }));
}

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The selector of test id `id` in the view shown (each view's layout stays in the page, hidden). */
export const visible = (id) => `.layout:not([hidden]) [data-testid="${id}"]`;

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const FIXTURES = path.join(ROOT, 'engine', 'tests', 'fixtures', 'conformance');
export const OUT = path.join(ROOT, 'tests', 'e2e', 'out');
fs.mkdirSync(OUT, { recursive: true });

/** A new page that records console errors and every network request; resolves once `ready`
 *  (a data-testid in the visible view, by default the headline AUC) is shown. Loads of `blob:`
 *  URLs (objects the page made in memory, such as the slice-reader worker's script) are kept
 *  apart in `log.inMemory`: they cannot reach the network. */
export async function openPage(browser, url, viewport = { width: 1280, height: 800 }, ready = 'metric-auc') {
  const page = await browser.newPage({ viewport });
  const log = { requests: [], inMemory: [], errors: [] };
  page.on('request', (r) => (r.url().startsWith('blob:') ? log.inMemory : log.requests).push(r.url()));
  // Each request with the wall time it started (for requestsAfterLockdown), and the moment the page
  // locked its connections down.
  log.started = [];
  page.on('requestfinished', (r) => log.started.push({ url: r.url(), start: r.timing().startTime }));
  page.on('requestfailed', (r) => log.started.push({ url: r.url(), start: Date.now() }));
  await page.addInitScript(() => {
    new MutationObserver((_, o) => {
      if (document.getElementById('csp-lockdown')) { window.__lockdownAt = Date.now(); o.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector(`.layout:not([hidden]) [data-testid="${ready}"]`, { timeout: 30000 });
  return { page, log };
}

/** Starts recording the page's longest main-thread task from now on (PerformanceObserver
 *  'longtask'); read it with [longestTask]. */
export async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
      .observe({ type: 'longtask' });
  });
}

/** The longest main-thread task since [watchLongTasks], in whole milliseconds. */
export async function longestTask(page) {
  return Math.round(await page.evaluate(() => window.__longest));
}

/** Resolves once `holds(arg)` is true in the page, checked at each change of the DOM (a
 *  MutationObserver) and never by polling. For benchmarks: Playwright's waitForFunction checks on
 *  every animation frame, which keeps the page's main thread drawing 60 frames a second while it
 *  waits, about a quarter of a core taken from the workers being timed on these 2-core machines
 *  (a Chromium trace of the reference-attack benchmark: 60 frames and 270 ms of main-thread work
 *  in a 1 s upload). Start it before the action that it waits for, then await it. `holds` must
 *  not close over anything: it is sent as source. */
export function whenInPage(page, holds, arg) {
  return page.evaluate(`new Promise((resolve) => {
    const holds = () => (${holds})(${JSON.stringify(arg)});
    if (holds()) return resolve(true);
    const seen = new MutationObserver(() => { if (holds()) { seen.disconnect(); resolve(true); } });
    seen.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  })`);
}

/** Resolves once the charts of what the page just rendered are drawn: a view draws its charts in a
 *  task of its own after the next frame (`draw_later` in src/widgets/chart_canvas.rs), so a
 *  screenshot taken as soon as the figures show may catch them blank. */
export async function chartsDrawn(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() =>
    requestAnimationFrame(() => setTimeout(resolve, 20)), 0))));
}

/** The requests the page (or its workers) started after it locked its connections down, by their
 *  start time: unlike counting the events after the lockdown is seen, a request started before it
 *  but reported late (a worker busy from the first moment reports its loads late) is not counted. */
export async function requestsAfterLockdown(page, log) {
  const at = await page.evaluate(() => window.__lockdownAt);
  if (typeof at !== 'number') return ['(the page never locked its connections down)'];
  return log.started.filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('data:') && r.start >= at).map((r) => r.url);
}

/** The full-precision value of a headline figure. */
export async function metric(page, id) {
  return page.getAttribute(`.layout:not([hidden]) [data-testid="${id}"]`, 'data-value');
}

/** Uploads a file (path, or { name, mimeType, buffer }) through the csv-input. */
export async function upload(page, file) {
  await page.setInputFiles('[data-testid=csv-input]', file);
}

/** Waits until the audit view shows the audit of `name`. */
export async function waitForAuditOf(page, name) {
  await page.waitForFunction((n) => document.querySelector('.audit-head h2')?.textContent.includes(n), name, { timeout: 30000 });
}

/** A small seeded generator (an LCG), the same numbers in every run. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
}

/** Writes `header` and `n` rows made by `row(i, draw)` (`draw`: the generator seeded with `seed`)
 *  to `dir/name`, once (an existing file is reused), streaming, so ten million rows fit. */
function generatedCsv(dir, name, header, n, seed, row) {
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.part`;
  const fd = fs.openSync(tmp, 'w');
  const draw = rng(seed);
  let buf = header + '\n';
  for (let i = 0; i < n; i++) {
    buf += row(i, draw);
    if (buf.length > 1 << 22) { fs.writeSync(fd, buf); buf = ''; }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return file;
}

/** A generated audit CSV of `n` records in the narrow layout (id, member, confidence, loss),
 *  members a little more confident; written once into `dir` and reused. Used by the e2e tests
 *  and the scale benchmark. */
export function narrowCsv(dir, n) {
  return generatedCsv(dir, `mia_scale_narrow_${n}.csv`, 'id,member,confidence,loss', n, 1, (i, r) => {
    const c = Math.min(0.999999, 0.5 + 0.3 * r() + (i & 1) * 0.1);
    return `${i},${i & 1},${c.toFixed(6)},${(-Math.log(c)).toFixed(6)}\n`;
  });
}

/** A generated audit CSV of `n` records in the conformance layout (id, member, label, prob_0..9,
 *  logit_0..9, confidence, loss), members a little more confident; about 227 bytes a row (80,000
 *  rows pass the two-worker threshold); written once into `dir` and reused. */
export function wideCsv(dir, n) {
  const K = 10;
  const head = ['id', 'member', 'label', ...[...Array(K).keys()].map((k) => `prob_${k}`),
    ...[...Array(K).keys()].map((k) => `logit_${k}`), 'confidence', 'loss'].join(',');
  return generatedCsv(dir, `mia_scale_wide_${n}.csv`, head, n, 2, (i, r) => {
    const member = i & 1;
    const y = Math.floor(r() * K);
    const z = [];
    for (let k = 0; k < K; k++) z.push((r() - 0.5) * 4 + (k === y ? 2 + member * 1.5 * r() : 0));
    const mx = Math.max(...z);
    const e = z.map((v) => Math.exp(v - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => v / sum);
    const py = p[y];
    return `${i},${member},${y},${p.map((v) => v.toFixed(8)).join(',')},${z.map((v) => v.toFixed(5)).join(',')},${py.toFixed(8)},${(-Math.log(py)).toFixed(8)}\n`;
  });
}

/** A generated reference-attack CSV (id, member, phi, ref_in_0..M-1, ref_phi_0..M-1) of `n`
 *  records under `m` reference models: each record has a difficulty, members and IN references
 *  sit higher; about 12 bytes a row per reference. Written once into `dir` and reused. */
export function referenceCsv(dir, n, m) {
  const head = ['id', 'member', 'phi', ...[...Array(m).keys()].map((j) => `ref_in_${j}`),
    ...[...Array(m).keys()].map((j) => `ref_phi_${j}`)].join(',');
  return generatedCsv(dir, `mia_lira_${n}_M${m}.csv`, head, n, 3, (i, r) => {
    const member = i & 1;
    const d = (r() - 0.5) * 6;
    const ins = [];
    const phis = [];
    for (let j = 0; j < m; j++) {
      const inside = r() < 0.5 ? 1 : 0;
      ins.push(inside);
      phis.push((d + inside * 1.2 + (r() - 0.5) * 2).toFixed(6));
    }
    return `${i},${member},${(d + member * 1.2 + (r() - 0.5) * 2).toFixed(6)},${ins.join(',')},${phis.join(',')}\n`;
  });
}

